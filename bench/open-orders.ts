/**
 * Open orders benchmark (issue 13 item 3, issue 11 "Load"): BENCH_OPEN_ORDERS orders (default 1,000) left open, half
 * waiting for payment (their bills polled by the Kaspi payment workflows) and half paid and waiting for the shop
 * (polling the CRM). Then, over BENCH_OPEN_WINDOW_S seconds (default 60), the worker's memory and CPU and the Temporal
 * dev server's CPU, which is the load of their poll timers. The stack is bench/lib/stack.ts's separate processes.
 */
import got from 'got';
import { loadConfig } from '../common/config';
import { cpuSecondsOf, loadAverage, mb, rssOf, startStack } from './lib/stack';
import { inParallel } from './lib/stats';
import { orderDriver } from './pipeline';
import { WORKER_PROCESS_ENV } from '../workers/process-settings';

const OPEN = Number(process.env.BENCH_OPEN_ORDERS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const WINDOW_MS = Number(process.env.BENCH_OPEN_WINDOW_S ?? 60) * 1000;
const log = (line: string) => console.error(`[open-orders] ${line}`);

/** The worker's V8 heap and off-heap memory (prom-client's process metrics), in MB: where its resident set goes. */
async function heapOf(metricsUrl: string): Promise<Record<string, number>> {
  const text = await got(metricsUrl).text();
  const value = (name: string) =>
    mb(Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN));
  return {
    usedMb: value('nodejs_heap_size_used_bytes'),
    totalMb: value('nodejs_heap_size_total_bytes'),
    externalMb: value('nodejs_external_memory_bytes'),
  };
}

/** An HTTP failure with what answered and what it said. */
function describe(err: unknown): string {
  const { message, response } = err as { message: string; response?: { url?: string; body?: unknown } };
  return response ? `${message} from ${response.url}: ${JSON.stringify(response.body).slice(0, 300)}` : message;
}

export async function run(): Promise<object> {
  // Placing a thousand orders on a busy machine can take longer than the 30 minutes they have to pay.
  const stack = await startStack({ PAYMENT_DEADLINE: '6h' });
  const { worker, temporal } = stack.processes;
  try {
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // start-up work settles
    const idleWorkerRssMb = mb(rssOf(worker.pid));
    const driver = orderDriver(stack);
    let done = 0;
    const errors: string[] = [];
    await inParallel(OPEN, CONCURRENCY, async (i) => {
      try {
        const order = await driver.place(i);
        if (i % 2 === 0) {
          await driver.pay(order.trackingId, order.externalId);
          await driver.messageAt(i, 2); // paid: its payment workflow has ended, the order polls the CRM
        }
        if (++done % 100 === 0) log(`${done} orders open`);
      } catch (err) {
        errors.push(`order ${i}: ${describe(err)}`);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const before = { worker: cpuSecondsOf(worker.pid), temporal: cpuSecondsOf(temporal.pid), at: Date.now() };
    let peakRss = 0;
    const rss: number[] = [];
    const sampler = setInterval(() => {
      rss.push(rssOf(worker.pid));
      peakRss = Math.max(peakRss, rss.at(-1)!);
    }, 1_000);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    clearInterval(sampler);
    const workerHeap = await heapOf(`http://127.0.0.1:${stack.plan.env.WORKER_HTTP_PORT}/metrics`);
    const seconds = (Date.now() - before.at) / 1000;
    const cpuPercent = (used: number) => Math.round((used / seconds) * 1000) / 10;
    return {
      openOrders: OPEN,
      waitingForPayment: Math.floor(OPEN / 2),
      waitingForShop: Math.ceil(OPEN / 2),
      windowSeconds: Math.round(seconds),
      idleWorkerRssMb,
      workerRssMb: mb(rss.reduce((sum, bytes) => sum + bytes, 0) / rss.length),
      workerPeakRssMb: mb(peakRss),
      workerCpuPercent: cpuPercent(cpuSecondsOf(worker.pid) - before.worker),
      placed: done,
      errorCount: errors.length,
      errors: errors.slice(0, 5),
      workerHeap,
      devServerCpuPercent: cpuPercent(cpuSecondsOf(temporal.pid) - before.temporal),
      devServerRssMb: mb(rssOf(temporal.pid)),
      settings: {
        WORKER_MAX_CACHED_WORKFLOWS: loadConfig(stack.plan.env).WORKER_MAX_CACHED_WORKFLOWS,
        KASPI_POLL_EVERY: stack.plan.env.KASPI_POLL_EVERY ?? '15s (default)',
        MALLOC_ARENA_MAX: stack.plan.env.MALLOC_ARENA_MAX ?? `${WORKER_PROCESS_ENV.MALLOC_ARENA_MAX} (default)`,
        workerNodeFlags: stack.workerNodeFlags.join(' ') || '(V8 defaults)',
      },
      loadAverage: loadAverage(),
      note: 'CPU percent of one core; other work on this machine skews it (see loadAverage)',
    };
  } finally {
    await stack.stop();
  }
}

if (require.main === module) {
  run().then(
    (result) => console.log(JSON.stringify({ scenario: 'open-orders', ...result })),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
