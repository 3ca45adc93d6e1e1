import { z } from 'zod';
import { normalizePhone } from '../common/phone';

const phone = z.string().transform((value, ctx) => {
  const normalized = normalizePhone(value);
  if (!normalized) ctx.addIssue({ code: 'custom', message: 'a Kazakh phone number such as +77015211545' });
  return normalized ?? value;
});

/** POST /api/v1/orders body (contract.md); prices are never taken from here. */
export const orderRequestSchema = z.object({
  customer: z.object({
    phone,
    name: z.string().trim().min(1).max(100).optional(),
    telegramUserId: z.number().int().positive().optional(),
    telegramChatId: z.number().int().optional(),
    language: z.enum(['ru', 'kk']).optional(),
  }),
  recipient: z.object({ name: z.string().trim().min(1).max(100), phone: phone.optional() }).optional(),
  delivery: z.object({
    type: z.enum(['delivery', 'pickup']),
    address: z.string().trim().min(3).max(500).optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
      .refine((d) => !Number.isNaN(Date.parse(d)), 'not a real date'),
    slot: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'a time slot such as 14:00-16:00'),
  }),
  items: z
    .array(z.object({ productId: z.number().int().positive(), quantity: z.number().int().min(1).max(99) }))
    .min(1, 'at least one item')
    .max(20),
  cardText: z.string().max(500).optional(),
  paymentMethod: z.literal('kaspi').default('kaspi'),
});

export const cancelRequestSchema = z.object({ reason: z.string().max(500).optional() }).default({});
