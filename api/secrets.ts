import { createHmac, timingSafeEqual } from 'node:crypto';

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

export const secretMatches = (given: string | undefined, expected: string): boolean =>
  !!given && sameText(given, expected);

/** Hex HMAC-SHA256 of `<timestamp>.<raw body>`: the signed timestamp is what makes an old callback refusable. */
export function signCallback(rawBody: Buffer | string, timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export type CallbackCheck = { ok: true } | { ok: false; reason: string };

/** A signed payment callback: `X-Timestamp` (Unix seconds) within `maxAgeMs` of now, and its `X-Signature`. */
export function checkSignedCallback(
  rawBody: Buffer,
  headers: { signature?: string; timestamp?: string },
  secret: string,
  maxAgeMs: number,
  now = Date.now(),
): CallbackCheck {
  const { signature, timestamp } = headers;
  if (!signature) return { ok: false, reason: 'missing X-Signature' };
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-Timestamp' };
  if (!sameText(signature.trim().toLowerCase(), signCallback(rawBody, timestamp, secret)))
    return { ok: false, reason: 'wrong X-Signature' };
  if (Math.abs(now - Number(timestamp) * 1000) > maxAgeMs)
    return { ok: false, reason: 'X-Timestamp is outside the accepted window' };
  return { ok: true };
}
