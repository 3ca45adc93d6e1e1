import { createHash, randomBytes } from 'node:crypto';

// Crockford-style alphabet: no 0/O or 1/I/L to misread over the phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function encode(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

/** A new tracking id; with an Idempotency-Key, always the same id for the same key. */
export function trackingIdFor(idempotencyKey?: string): string {
  const bytes = idempotencyKey ? createHash('sha256').update(idempotencyKey).digest() : randomBytes(16);
  return `CV${encode(bytes, 10)}`;
}
