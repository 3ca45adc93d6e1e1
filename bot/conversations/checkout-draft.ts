import type { Language, OrderRequest } from '../../common/order';

/** The answers of a checkout so far: plain data, kept in the conversation's replay log and in a paused checkout. */
export interface Draft {
  quantity: number;
  deliveryType?: 'delivery' | 'pickup';
  address?: string;
  /** `self`: the customer receives the bouquet (their name and Kaspi phone). */
  recipient?: { self: true } | { self?: false; name: string; phone?: string };
  date?: string;
  slot?: string;
  cardText?: string;
  customerPhone?: string;
}

export interface CheckoutArgs {
  productId: number;
  language: Language;
  /** Fixed when the checkout starts: the order's idempotency key derives from it. */
  checkoutId: string;
  /** Answers known in advance: a repeated order, a checkout continued after a command. */
  draft?: Draft;
}

/** Questions of the shortest path, in order; quantity and card text are changed on the summary only. */
export const QUESTIONS = ['deliveryType', 'address', 'recipient', 'date', 'slot', 'customerPhone'] as const;
export type Question = (typeof QUESTIONS)[number];
/** What the summary's "Изменить" buttons can reopen. */
export type Editable = 'quantity' | 'deliveryType' | 'address' | 'recipient' | 'when' | 'cardText' | 'customerPhone';
const EDITABLE = new Set<string>([
  'quantity',
  'deliveryType',
  'address',
  'recipient',
  'when',
  'cardText',
  'customerPhone',
]);
/** Callback data can be forged: only known fields are reopened. */
export const isEditable = (field: string): field is Editable => EDITABLE.has(field);

const needed = (draft: Draft, q: Question): boolean =>
  (q !== 'address' && q !== 'recipient') || draft.deliveryType === 'delivery';

/** The next question still unanswered, or undefined when the summary can be shown. */
export const firstMissing = (draft: Draft): Question | undefined =>
  QUESTIONS.find((q) => needed(draft, q) && draft[q] === undefined);

/** A refused field of the order workflow → the answers to ask again. */
export function forgetRefused(draft: Draft, field: string | undefined): Draft {
  if (field === 'delivery.date') return { ...draft, date: undefined, slot: undefined };
  if (field === 'delivery.slot') return { ...draft, slot: undefined };
  if (field === 'delivery.address') return { ...draft, address: undefined };
  if (field?.startsWith('recipient')) return { ...draft, recipient: undefined };
  return draft;
}

/** The order request of a complete draft. */
export function orderRequest(
  draft: Draft,
  productId: number,
  language: Language,
  from: { id: number; first_name: string; last_name?: string },
  chatId: number,
): OrderRequest {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  const delivery = draft.deliveryType!;
  const recipient =
    delivery === 'pickup' || !draft.recipient || draft.recipient.self
      ? { name, phone: draft.customerPhone }
      : { name: draft.recipient.name, phone: draft.recipient.phone };
  return {
    customer: { phone: draft.customerPhone!, name, telegramUserId: from.id, telegramChatId: chatId, language },
    recipient,
    delivery: {
      type: delivery,
      address: delivery === 'delivery' ? draft.address : undefined,
      date: draft.date!,
      slot: draft.slot!,
    },
    items: [{ productId, quantity: draft.quantity }],
    ...(draft.cardText ? { cardText: draft.cardText } : {}),
    paymentMethod: 'kaspi',
  };
}

/** A new checkout's answers from an earlier order: all but the day and time, which are chosen again. */
export function draftFromOrder(order: {
  deliveryType: string;
  address: string | null;
  recipientName: string | null;
  recipientPhone: string | null;
  customerPhone: string;
  cardText: string | null;
  quantity: number;
}): Draft {
  const delivery = order.deliveryType === 'delivery';
  const self = !order.recipientName || order.recipientPhone === order.customerPhone;
  return {
    quantity: order.quantity,
    deliveryType: delivery ? 'delivery' : 'pickup',
    address: delivery ? (order.address ?? undefined) : undefined,
    recipient: delivery
      ? self
        ? { self: true }
        : { name: order.recipientName!, phone: order.recipientPhone ?? undefined }
      : undefined,
    cardText: order.cardText ?? undefined,
    customerPhone: order.customerPhone,
  };
}
