import type { OrderStatus } from './contract';

/** Shapes shared by the API, the bot, the workflow and its activities. Plain data only. */
export type Language = 'ru' | 'kk';
export type CancelReason = 'payment_expired' | 'payment_failed' | 'customer' | 'shop';

export interface OrderRequest {
  customer: { phone: string; name?: string; telegramUserId?: number; telegramChatId?: number; language?: Language };
  recipient?: { name: string; phone?: string };
  delivery: { type: 'delivery' | 'pickup'; address?: string; date: string; slot: string };
  items: { productId: number; quantity: number }[];
  cardText?: string;
  paymentMethod: 'kaspi';
}

export interface OrderInput extends OrderRequest {
  trackingId: string;
  idempotencyKey?: string;
  /** Keyed hash of the customer's phone for the `CustomerPhoneHash` search attribute (common/phone-hash.ts). */
  customerPhoneHash?: string;
  /** Workflow settings decided by configuration at start. */
  settings: OrderSettings;
  /** Set when a long-running order continues as new: the state it had. */
  resume?: OrderView;
  /** When the delivery-day reminder goes (ISO), worked out at placement so the workflow only waits for it. */
  deliveryReminderAt?: string;
}

export interface OrderSettings {
  paymentDeadlineMs: number;
  /** After a cancellation, how long a late Kaspi payment is still watched for (and refunded). */
  latePaymentWatchMs: number;
  /** History length after which a long-running order continues as new (default 8 000 events). */
  continueAsNewAfterEvents?: number;
  /** How long before the payment deadline the customer is reminded (none when unset or 0). */
  paymentReminderBeforeMs?: number;
  /** The pace of polling (workflows/timings.ts has the defaults); tests slow it down to skip days cheaply. */
  timings?: Partial<OrderTimings>;
  /** Photo approval, the morning reminder and the rating (issue 15); without it the order ends at delivery. */
  deliveryDay?: DeliveryDaySettings;
}

export interface DeliveryDaySettings {
  /** How long the customer has to answer the florist's photo before it is approved for them. */
  approvalTimeoutMs: number;
  /** How long a delivered order waits for stars, and then for the optional comment. */
  ratingTimeoutMs: number;
  ratingCommentMs: number;
  /** Shop-time "09:00" of the delivery date: when the customer is reminded of the slot and recipient. */
  reminderAt: string;
  shopTimeZone: string;
}

export interface OrderTimings {
  /** Kaspi: every `kaspiFastPollMs` for the first `kaspiFastWindowMs`, then every `kaspiSlowPollMs`. */
  kaspiFastPollMs: number;
  kaspiFastWindowMs: number;
  kaspiSlowPollMs: number;
  /** A withdrawn bill, watched for late money. */
  kaspiLatePollMs: number;
  crmPollMs: number;
  /** How long the CRM push is retried before the order is flagged. */
  crmGiveUpMs: number;
}

export interface PricedItem {
  productId: number;
  title: string;
  quantity: number;
  priceKopecks: number;
}

export interface PricedOrder {
  items: PricedItem[];
  deliveryFeeKopecks: number;
  totalKopecks: number;
}

export type PaymentStatus =
  'none' | 'requesting' | 'requested' | 'in_doubt' | 'paid' | 'failed' | 'expired' | 'refund_pending' | 'refunded';

/** Something an operator must act on: shown on the order, counted, and searchable as `NeedsAttention`. */
export interface Attention {
  /** What it concerns, e.g. `crm:create`, `payment:2`, `notify:paid`. */
  key: string;
  reason: string;
  at: string;
  resolvedAt?: string;
}

export interface OrderView {
  trackingId: string;
  status: OrderStatus;
  cancelReason?: CancelReason;
  totalKopecks: number;
  deliveryFeeKopecks: number;
  items: PricedItem[];
  delivery: OrderRequest['delivery'];
  recipient?: OrderRequest['recipient'];
  /** `telegramUserId`: whose order it is, known from the start (the database row is written a moment later). */
  customer: { phone: string; name?: string; telegramUserId?: number };
  cardText?: string;
  payment: {
    status: PaymentStatus;
    /** The Kaspi request the order waits for or was paid through (1, 2, ... when the customer asks again). */
    attempt?: number;
    externalId?: string;
    phone?: string;
    /** When the order stops waiting for the money (ISO). */
    deadline?: string;
    paidKopecks?: number;
    refundedKopecks?: number;
  };
  crm: { orderId?: number; status?: string };
  history: { status: OrderStatus; at: string }[];
  assembledPhotoUrl?: string;
  /** The customer's answer to the florist's photo (orders with a Telegram chat, delivery-day version). */
  approval?: Approval;
  rating?: { stars: number; comment?: string; at: string };
  /** Open and settled problems an operator must see (empty when all is well). */
  attention?: Attention[];
}

export interface Approval {
  /** Counts the photos asked about: an answer names the one it is for. */
  round: number;
  photoUrl: string;
  state: 'awaiting' | 'change_requested' | 'approved' | 'timed_out';
  askedAt: string;
  comment?: string;
}

/** Error types the workflow fails with and the API maps to 4xx. */
/** A second "new bill" to the same phone within this time is the same wish (a retry or a second tap). */
export const REPEAT_BILL_WINDOW_MS = 2 * 60_000;

export const ORDER_ERRORS = {
  invalid: 'InvalidOrder',
  productUnavailable: 'ProductUnavailable',
  productUnknown: 'ProductUnknown',
} as const;

/** CRM status codes → order statuses (domain.md). */
export const CRM_TO_ORDER_STATUS: Record<string, OrderStatus> = {
  N: 'new',
  PD: 'paid',
  AP: 'accepted',
  CO: 'assembled',
  DE: 'in_delivery',
  F: 'delivered',
  RF: 'cancelled',
  UN: 'cancelled',
};

export const CANCELLABLE_STATUSES: readonly OrderStatus[] = [
  'new',
  'awaiting_payment',
  'paid',
  'accepted',
  'assembled',
];
