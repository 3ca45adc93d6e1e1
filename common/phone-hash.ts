import { createHmac } from 'node:crypto';
import { normalizePhone } from './phone';

/**
 * The `CustomerPhoneHash` search attribute: HMAC-SHA256 of the normalised phone under PHONE_HASH_KEY. Temporal indexes
 * it in the clear, so it must not be the number; with the key an operator still finds a customer's orders
 * (`npm run orders:by-phone -- +77015211545`), and without it the hash says nothing.
 */
export function phoneSearchHash(key: string, phone: string): string {
  return createHmac('sha256', key)
    .update(normalizePhone(phone) ?? phone)
    .digest('hex')
    .slice(0, 32);
}
