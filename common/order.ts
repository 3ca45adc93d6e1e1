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
  /** Workflow settings decided by configuration at start. */
  settings: OrderSettings;
  /** Set when a long-running order continues as new: the state it had. */
  resume?: OrderView;
}

export interface OrderSettings {
  paymentDeadlineMs: number;
  /** After a cancellation, how long a late Kaspi payment is still watched for (and refunded). */
  latePaymentWatchMs: number;
  /** History length after which a long-running order continues as new (default 8 000 events). */
  continueAsNewAfterEvents?: number;
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

export type PaymentStatus = 'none' | 'requested' | 'paid' | 'failed' | 'expired' | 'refund_pending' | 'refunded';

export interface OrderView {
  trackingId: string;
  status: OrderStatus;
  cancelReason?: CancelReason;
  totalKopecks: number;
  deliveryFeeKopecks: number;
  items: PricedItem[];
  delivery: OrderRequest['delivery'];
  recipient?: OrderRequest['recipient'];
  customer: { phone: string; name?: string };
  cardText?: string;
  payment: {
    status: PaymentStatus;
    externalId?: string;
    paidKopecks?: number;
    refundedKopecks?: number;
    /** When the open Kaspi request expires (ISO time); the customer is told it in the shop's time. */
    deadline?: string;
  };
  crm: { orderId?: number; status?: string };
  history: { status: OrderStatus; at: string }[];
  assembledPhotoUrl?: string;
}

/** Error types the workflow fails with and the API maps to 4xx. */
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
