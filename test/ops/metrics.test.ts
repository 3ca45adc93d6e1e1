import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { createBusinessMetrics } from '../../common/metrics';
import { activityMetricsInterceptor } from '../../workers/activity-metrics';

/** Runs one activity attempt through the metrics interceptor, as the worker would. */
async function attempt(
  factory: ActivityInterceptorsFactory,
  activityType: string,
  run: () => unknown,
  args: unknown[] = [],
) {
  const { inbound } = factory({ info: { activityType } } as Parameters<ActivityInterceptorsFactory>[0]);
  return inbound!.execute!({ args, headers: {} }, async () => run()).catch(() => 'failed');
}

describe('business metrics', () => {
  it('follow Prometheus naming: cvety_ prefix, _total counters, seconds for durations', async () => {
    const metrics = createBusinessMetrics();
    const families = await metrics.registry.getMetricsAsJSON();
    for (const { name, type } of families) {
      expect(name).toMatch(/^cvety_[a-z_]+$/);
      if (String(type) === 'counter') expect(name).toMatch(/_total$/);
      if (String(type) === 'histogram') expect(name).toMatch(/_seconds$/);
    }
    expect(families.map((family) => family.name).sort()).toEqual([
      'cvety_catalog_sync_changes_total',
      'cvety_catalog_sync_runs_total',
      'cvety_crm_push_failures_total',
      'cvety_notifications_failed_total',
      'cvety_orders_cancelled_total',
      'cvety_orders_created_total',
      'cvety_orders_delivered_total',
      'cvety_orders_paid_total',
      'cvety_payment_wait_seconds',
    ]);
  });

  it('count orders by channel and reason and payment waits, in the text format', async () => {
    const metrics = createBusinessMetrics();
    metrics.ordersCreated.inc({ channel: 'api' });
    metrics.ordersCancelled.inc({ reason: 'payment_expired' });
    metrics.paymentWait.observe(95);
    const text = await metrics.registry.metrics();
    expect(text).toContain('cvety_orders_created_total{channel="api"} 1');
    expect(text).toContain('cvety_orders_cancelled_total{reason="payment_expired"} 1');
    expect(text).toContain('cvety_payment_wait_seconds_bucket{le="120"} 1');
  });
});

describe('the worker counts around activities', () => {
  it('every failed CRM or notification attempt, a refused notification, and each catalog sync report', async () => {
    const metrics = createBusinessMetrics();
    const interceptor = activityMetricsInterceptor(metrics);
    const boom = () => {
      throw new Error('down');
    };
    expect(await attempt(interceptor, 'createCrmOrder', boom)).toBe('failed');
    await attempt(interceptor, 'createCrmOrder', boom);
    await attempt(interceptor, 'createCrmOrder', () => ({ crmOrderId: 1 }));
    await attempt(interceptor, 'notifyCustomer', boom);
    await attempt(interceptor, 'notifyCustomer', () => ({ sent: false }));
    await attempt(interceptor, 'notifyCustomer', () => ({ sent: true }));
    await attempt(interceptor, 'priceOrder', boom);
    const report = { kind: 'full', created: 2, updated: 0, disabled: 1, failures: 0 };
    expect(await attempt(interceptor, 'recordSyncReport', () => 'ok', [{ report }])).toBe('ok');

    const text = await metrics.registry.metrics();
    expect(text).toContain('cvety_crm_push_failures_total{activity="createCrmOrder"} 2');
    expect(text).toContain('cvety_notifications_failed_total{activity="notifyCustomer"} 2');
    expect(text).toContain('cvety_catalog_sync_runs_total{kind="full",outcome="ok"} 1');
    expect(text).toContain('cvety_catalog_sync_changes_total{change="created"} 2');
    expect(text).toContain('cvety_catalog_sync_changes_total{change="disabled"} 1');
    expect(text).not.toContain('priceOrder');
  });
});
