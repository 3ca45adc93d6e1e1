/** Pure rules of the checkout: dates in the shop's calendar, slots still open, answers parsed. */

export const MAX_DAYS_AHEAD = 90;

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** "08.03", "8/3/2027", "2027-03-08" → ISO date; a year left out means this (shop) year. */
export function parseUserDate(text: string, today: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  const dmy = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?$/.exec(text.trim());
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : dmy
      ? [
          dmy[3] ? Number(dmy[3].length === 2 ? `20${dmy[3]}` : dmy[3]) : Number(today.slice(0, 4)),
          Number(dmy[2]),
          Number(dmy[1]),
        ]
      : [0, 0, 0];
  if (!y) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Slots without a free place, as `<date> <slot>` (orders/slots.ts counts them). */
export type FullSlots = string[];

/** The shop's slots still open on `date`: not full, and today only those that have not started yet. */
export function openSlots(
  date: string,
  clock: { date: string; minutes: number },
  slots: string[],
  full: FullSlots = [],
): string[] {
  return slots.filter(
    (slot) => !full.includes(`${date} ${slot}`) && (date !== clock.date || minutesOf(slot) > clock.minutes),
  );
}

export function parseQuantity(text: string): number | null {
  if (!/^\d{1,2}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= 1 && n <= 99 ? n : null;
}

/** A name is text, not a command or a number, 2–100 characters. */
export const isName = (text: string): boolean => {
  const t = text.trim();
  return t.length >= 2 && t.length <= 100 && /\p{L}/u.test(t) && !t.startsWith('/');
};

export const isAddress = (text: string): boolean => text.trim().length >= 5 && text.trim().length <= 300;

export const MAX_CARD_TEXT = 500;

export const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Days from today the day buttons look at. */
export const DAYS_OFFERED = 8;

/** Days from today (at most `count`, within `horizon` days) that still have an open slot. */
export function openDays(
  clock: { date: string; minutes: number },
  slots: string[],
  full: FullSlots = [],
  count = 7,
  horizon = DAYS_OFFERED,
): string[] {
  const days: string[] = [];
  for (let i = 0; i < horizon && days.length < count; i++) {
    const date = addDays(clock.date, i);
    if (openSlots(date, clock, slots, full).length > 0) days.push(date);
  }
  return days;
}

/** 0 = Sunday, as the locale keys `weekday-N`. */
export const weekday = (isoDate: string): number => new Date(`${isoDate}T00:00:00Z`).getUTCDay();
