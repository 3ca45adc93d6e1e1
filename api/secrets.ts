import { createHmac, timingSafeEqual } from 'node:crypto';

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

export const secretMatches = (given: string | undefined, expected: string): boolean =>
  !!given && sameText(given, expected);

/** Hex HMAC-SHA256 of the raw body, as the payment callback signs it. */
export function signatureMatches(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest('hex');
  return sameText(signature.trim().toLowerCase(), expected);
}
