/**
 * Order intake benchmark: the whole system in one process over loopback (Temporal dev server, worker, API,
 * production and Telegram stand-ins, PostgreSQL). Places ORDERS orders over HTTP with CONCURRENCY in flight
 * (POST /api/v1/orders = Update-with-Start: the answer carries the priced order), then pays each through the
 * Kaspi stand-in plus the signed callback (which makes the bill's workflow read it at once) and measures until every
 * order's status query says `paid`.
 */
import got from 'got';
import { signCallback } from '../api/secrets';
import { FIXTURES, startSystem } from '../test/support/system';
import { chooseTestPostgres } from '../test/support/test-postgres';
import { shopDate } from '../test/support/dates';

/** A trusted caller: the benchmark measures the pipeline, not the public rate limits. */
const BENCH_API_KEY = 'bench-api-key-0123456789abcdef0123456789';
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50: Math.round(percentile(sorted, 50)),
    p95: Math.round(percentile(sorted, 95)),
    max: Math.round(sorted.at(-1)!),
  };
};

async function inParallel<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

export async function run(): Promise<object> {
  const postgres = await chooseTestPostgres();
  process.env.TEST_PG_ADMIN_URL = postgres.adminUrl;
  const system = await startSystem({ api: { apiKeys: [BENCH_API_KEY] } });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  try {
    const api = got.extend({
      prefixUrl: system.apiUrl,
      responseType: 'json',
      retry: { limit: 0 },
      headers: { Authorization: `Bearer ${BENCH_API_KEY}` },
    });
    const products = system.production.products().filter((p) => p.isAvailable);
    const placeStarted = performance.now();
    const placed = await inParallel(ORDERS, CONCURRENCY, async (i) => {
      const started = performance.now();
      const { body } = await api.post<{ trackingId: string; status: string }>('api/v1/orders', {
        json: {
          customer: { phone: `+7701${String(1_000_000 + i).slice(-7)}`, name: 'Бенчмарк' },
          recipient: { name: 'Мария' },
          delivery: { type: 'delivery', address: 'Астана, Кенесары 40', date: shopDate(1), slot: '14:00-16:00' },
          items: [{ productId: products[i % products.length].id, quantity: 1 }],
        },
      });
      return { trackingId: body.trackingId, ms: performance.now() - started };
    });
    const placeSeconds = (performance.now() - placeStarted) / 1000;

    const externalIds = await inParallel(ORDERS, CONCURRENCY, async (i) => {
      for (;;) {
        const view = (await api.get(`api/v1/orders/${placed[i].trackingId}`)).body as unknown as {
          payment: { externalId?: string };
        };
        if (view.payment.externalId) return view.payment.externalId;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    const payStarted = performance.now();
    const paid = await inParallel(ORDERS, CONCURRENCY, async (i) => {
      const started = performance.now();
      // The customer pays in the Kaspi app; the callback only makes the bill be read at once.
      await got.post(`${system.production.url}/__control/payments/${externalIds[i]}`, {
        json: { status: 'Processed' },
      });
      const body = JSON.stringify({ externalId: externalIds[i], status: 'Processed' });
      const timestamp = String(Math.floor(Date.now() / 1000));
      await api.post('api/v1/webhooks/kaspi', {
        body,
        headers: {
          'content-type': 'application/json',
          'X-Signature': signCallback(body, timestamp, FIXTURES.kaspiSecret),
          'X-Timestamp': timestamp,
        },
      });
      for (;;) {
        const view = (await api.get(`api/v1/orders/${placed[i].trackingId}`)).body as unknown as { status: string };
        if (view.status === 'paid') return performance.now() - started;
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    const paySeconds = (performance.now() - payStarted) / 1000;
    const crmOrders = system.production.orders();
    return {
      orders: ORDERS,
      concurrency: CONCURRENCY,
      placeOrderMs: summary(placed.map((p) => p.ms)),
      ordersPerSecond: Math.round((ORDERS / placeSeconds) * 10) / 10,
      callbackToPaidMs: summary(paid),
      paymentsPerSecond: Math.round((ORDERS / paySeconds) * 10) / 10,
      crmOrders: crmOrders.length,
      crmCreateCallsMax: Math.max(...crmOrders.map((o) => o.createCalls)),
      peakRssMb: Math.round(peakRss / 2 ** 20),
      note: 'API, worker and stand-ins share this one process; the Temporal dev server is a separate process',
    };
  } finally {
    clearInterval(sampler);
    await system.stop();
    await postgres.stop();
  }
}

if (require.main === module) {
  run().then(
    (result) => console.log(JSON.stringify({ scenario: 'orders', ...result })),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
