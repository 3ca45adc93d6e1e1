/** Kazakh mobile numbers: 8XXXXXXXXXX, 7XXXXXXXXXX, +7 (XXX) XXX-XX-XX and 10-digit forms → +7XXXXXXXXXX. */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s()\-.]/g, '');
  if (!/^\+?\d+$/.test(digits)) return null;
  const bare = digits.replace(/^\+/, '');
  if (bare.length === 10) return `+7${bare}`;
  if (bare.length === 11 && (bare.startsWith('7') || bare.startsWith('8'))) {
    if (digits.startsWith('+') && bare.startsWith('8')) return null;
    return `+7${bare.slice(1)}`;
  }
  return null;
}

/** +77015211545 → 77015211545, the form Kaspi takes. */
export const kaspiPhone = (normalized: string): string => normalized.replace(/^\+/, '');
