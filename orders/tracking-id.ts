import { randomInt } from 'node:crypto';

// Crockford-style alphabet: no 0/O or 1/I/L to misread over the phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 10;

/** What every tracking id looks like: checked before Temporal or the database is asked about one. */
export const TRACKING_ID_PATTERN = new RegExp(`^CV[${ALPHABET}]{${LENGTH}}$`);

/** A new random tracking id (31^10 ≈ 8·10^14 of them): never derived from anything a caller sent. */
export function newTrackingId(): string {
  let out = 'CV';
  for (let i = 0; i < LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export const isTrackingId = (text: string): boolean => TRACKING_ID_PATTERN.test(text);
