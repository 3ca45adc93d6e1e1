import { z } from 'zod';
import { normalizePhone } from '../common/phone';

/** The largest id PostgreSQL's `integer` holds: any id or count beyond it is refused before it reaches a query. */
export const MAX_INT4 = 2_147_483_647;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text a person typed: well-formed Unicode without control characters (PostgreSQL refuses NUL outright). */
export const text = (max: number, { multiline = false } = {}) =>
  z
    .string()
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), 'not well-formed Unicode')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .refine((s) => !(multiline ? /[\u0000-\u0008\u000b-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/).test(s), {
      message: 'control characters are not allowed',
    });

const phone = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const normalized = normalizePhone(value);
    if (!normalized) ctx.addIssue({ code: 'custom', message: 'a Kazakh phone number such as +77015211545' });
    return normalized ?? value;
  });

/** A real calendar day as YYYY-MM-DD (2027-02-30 is not one). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return true; // reported by the regex
    const [y, m, day] = d.split('-').map(Number);
    const date = new Date(Date.UTC(y, m - 1, day));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === day;
  }, 'not a real calendar day');

const SLOT = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
export const slot = z
  .string()
  .regex(SLOT, 'a time slot such as 14:00-16:00')
  .refine((s) => {
    const match = SLOT.exec(s);
    if (!match) return true; // reported by the regex
    const [, h1, m1, h2, m2] = match.map(Number);
    return h1 * 60 + m1 < h2 * 60 + m2;
  }, 'the slot must end after it starts');

const telegramId = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** POST /api/v1/orders body (contract.md): unknown fields are refused by name; prices are never taken from here. */
export const orderRequestSchema = z
  .strictObject({
    customer: z.strictObject({
      phone,
      name: text(100).trim().min(1).optional(),
      telegramUserId: telegramId.min(1).optional(),
      telegramChatId: telegramId.refine((id) => id !== 0, 'not a chat id').optional(),
      language: z.enum(['ru', 'kk']).optional(),
    }),
    recipient: z.strictObject({ name: text(100).trim().min(1), phone: phone.optional() }).optional(),
    delivery: z.strictObject({
      type: z.enum(['delivery', 'pickup']),
      address: text(500).trim().min(3).optional(),
      date: calendarDate,
      slot,
    }),
    items: z
      .array(
        z.strictObject({
          productId: z.number().int().min(1).max(MAX_INT4),
          quantity: z.number().int().min(1).max(999),
        }),
      )
      .min(1, 'at least one item')
      .max(20),
    cardText: text(500, { multiline: true }).optional(),
    paymentMethod: z.literal('kaspi').default('kaspi'),
  })
  .superRefine((order, ctx) => {
    // Zod runs refinements even over a partly invalid object: nothing here may assume a field is there.
    if (order?.delivery?.type !== 'delivery') return;
    if (!order.recipient) ctx.addIssue({ code: 'custom', path: ['recipient'], message: 'required for delivery' });
    if (!order.delivery.address)
      ctx.addIssue({ code: 'custom', path: ['delivery', 'address'], message: 'required for delivery' });
  });

export type ParsedOrderRequest = z.infer<typeof orderRequestSchema>;

/** Lines of the same product become one line. */
export function mergeLines(
  items: { productId: number; quantity: number }[],
): { productId: number; quantity: number }[] {
  const merged = new Map<number, number>();
  for (const { productId, quantity } of items) merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

export const cancelRequestSchema = z
  .strictObject({ reason: text(500, { multiline: true }).optional(), phone: phone.optional() })
  .default({});
