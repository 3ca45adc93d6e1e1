import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The worker's business metrics (its `/metrics`), Prometheus names: `cvety_` prefix, `_total` counters, base units
 * (`_seconds`). The SDK's own metrics (`temporal_*`) are exported by the worker's Runtime on WORKER_SDK_METRICS_PORT.
 * Who increments what: docs/operations.md.
 */
export function createBusinessMetrics(registry = new Registry()) {
  const registers = [registry];
  return {
    registry,
    ordersCreated: new Counter({
      name: 'cvety_orders_created_total',
      help: 'Orders placed (a repeat of the same Idempotency-Key is not counted)',
      labelNames: ['channel'] as const, // api | bot
      registers,
    }),
    ordersPaid: new Counter({ name: 'cvety_orders_paid_total', help: 'Orders whose payment went through', registers }),
    ordersCancelled: new Counter({
      name: 'cvety_orders_cancelled_total',
      help: 'Orders cancelled, by reason',
      labelNames: ['reason'] as const, // payment_expired | payment_failed | customer | shop
      registers,
    }),
    ordersDelivered: new Counter({ name: 'cvety_orders_delivered_total', help: 'Orders delivered', registers }),
    paymentWait: new Histogram({
      name: 'cvety_payment_wait_seconds',
      help: 'From the Kaspi payment request to the payment going through',
      buckets: [15, 30, 60, 120, 300, 600, 900, 1800, 3600],
      registers,
    }),
    crmPushFailures: new Counter({
      name: 'cvety_crm_push_failures_total',
      help: 'Failed attempts to send an order or its status to the CRM (each retry counts)',
      labelNames: ['activity'] as const,
      registers,
    }),
    notificationsFailed: new Counter({
      name: 'cvety_notifications_failed_total',
      help: 'Failed attempts to send a customer notification (each retry counts)',
      labelNames: ['activity'] as const,
      registers,
    }),
    catalogSyncRuns: new Counter({
      name: 'cvety_catalog_sync_runs_total',
      help: 'Catalog sync runs finished, by kind (full | product) and outcome (ok | with_failures)',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
    catalogSyncProducts: new Counter({
      name: 'cvety_catalog_sync_changes_total',
      help: 'Products changed by catalog syncs, by change (created | updated | disabled)',
      labelNames: ['change'] as const,
      registers,
    }),
  };
}

export type BusinessMetrics = ReturnType<typeof createBusinessMetrics>;

/** Webhooks at the API's edge (api/webhook-metrics.ts), before any check: refused ones are counted too. */
export const webhookCounter = (registry: Registry) =>
  new Counter({
    name: 'cvety_webhooks_received_total',
    help: 'Webhooks received, by source and outcome',
    // source: crm_status | product | kaspi | telegram; outcome: accepted | duplicate | rejected | failed
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
export type WebhookCounter = ReturnType<typeof webhookCounter>;

/** Photo searches answered, API and bot (the bot's own process or, in webhook mode, the API's). */
export const photoSearchHistogram = (registry: Registry) =>
  new Histogram({
    name: 'cvety_photo_search_duration_seconds',
    help: 'Photo search latency of answered searches, from the received photo to the ranked matches',
    labelNames: ['channel'] as const, // api | bot
    buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5],
    registers: [registry],
  });
export type PhotoSearchHistogram = ReturnType<typeof photoSearchHistogram>;

/** Node's process metrics (memory, event loop lag, GC) beside the business ones. */
export function withProcessMetrics<T extends { registry: Registry }>(metrics: T): T {
  collectDefaultMetrics({ register: metrics.registry });
  return metrics;
}
