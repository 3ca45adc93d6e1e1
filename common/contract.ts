/** Names the API, bot, workers and operators rely on (see docs/technical-description.md). */
export const TASK_QUEUE = 'orders';
export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';
export const PRODUCT_SYNC_SCHEDULE_ID = 'product-sync';

export const orderWorkflowId = (trackingId: string): string => `order-${trackingId}`;
export const productSyncWorkflowId = (productId: number): string => `product-sync-${productId}`;
/** One Kaspi payment request of an order: it outlives the order for as long as the request is payable. */
export const kaspiPaymentWorkflowId = (trackingId: string, attempt: number): string => `kaspi-${trackingId}-${attempt}`;
export const RECONCILE_SCHEDULE_ID = 'reconcile';

export const ORDER_STATUSES = [
  'new',
  'awaiting_payment',
  'paid',
  'accepted',
  'assembled',
  'in_delivery',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Custom search attributes registered at start-up (name → Temporal type). */
export const SEARCH_ATTRIBUTES = {
  OrderStatus: 'Keyword',
  TrackingId: 'Keyword',
  CustomerPhone: 'Keyword',
  DeliveryDate: 'Datetime',
  OrderTotal: 'Int',
  PaymentState: 'Keyword',
  NeedsAttention: 'Bool',
} as const;
