/** Names the API, bot, workers and operators rely on (see docs/technical-description.md). */
/** Order workflows and their activities. */
export const ORDERS_TASK_QUEUE = 'orders';
/** Catalog sync workflows and their activities: a long photo re-index never queues ahead of an order's task. */
export const CATALOG_TASK_QUEUE = 'catalog';
/** @deprecated the orders queue under its first name; use ORDERS_TASK_QUEUE. */
export const TASK_QUEUE = ORDERS_TASK_QUEUE;
/** The Worker Deployment every worker of this project belongs to; its build id is the package version. */
export const WORKER_DEPLOYMENT_NAME = 'cvety-orders';
export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';
export const PRODUCT_SYNC_SCHEDULE_ID = 'product-sync';

export const orderWorkflowId = (trackingId: string): string => `order-${trackingId}`;
export const productSyncWorkflowId = (productId: number): string => `product-sync-${productId}`;
/** One Kaspi payment request of an order: it outlives the order for as long as the request is payable. */
export const kaspiPaymentWorkflowId = (trackingId: string, attempt: number): string => `kaspi-${trackingId}-${attempt}`;
/** The Web UI's summary of that workflow, whoever starts it (the order, or a late Kaspi callback). */
export const kaspiPaymentSummary = (trackingId: string, attempt: number): string =>
  `Kaspi payment for order ${trackingId}, attempt ${attempt}`;
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
  /** Set only by orders of the first workflow version; new orders carry the hash. */
  CustomerPhone: 'Keyword',
  CustomerPhoneHash: 'Keyword',
  DeliveryDate: 'Datetime',
  OrderTotal: 'Int',
  PaymentState: 'Keyword',
  NeedsAttention: 'Bool',
  /** What the order waits for from the customer: approval, rating or none. */
  CustomerWait: 'Keyword',
} as const;
