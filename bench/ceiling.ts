/**
 * Ceiling benchmark (issue 13 item 1): what this machine's Temporal dev server takes of workflows shaped like an
 * order's lifecycle (bench/lib/bare-order-workflow.ts) with no-op activities, at the pipeline's concurrency
 * (BENCH_CEILING_ORDERS, default BENCH_ORDERS or 500; BENCH_CONCURRENCY, default 10). The driver plays the API and
 * the stand-ins: the update with start, the callback's nudge, four CRM signals, each awaited until its message
 * activity runs. Reports workflows/s, history events/s, and the bare signal → activity round trip.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startTemporalDevServer } from '../scripts/lib/temporal-dev-server';
import { freePort } from '../test/support/test-postgres';
import {
  bareCrmSignal,
  bareNudgeSignal,
  bareOrderWorkflow,
  bareUpdate,
  type BareActivities,
} from './lib/bare-order-workflow';
import { loadAverage, mb, rssOf, sampleCpu } from './lib/stack';
import { inParallel, percentiles, perSecond } from './lib/stats';

const ORDERS = Number(process.env.BENCH_CEILING_ORDERS ?? process.env.BENCH_ORDERS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const TASK_QUEUE = 'bench-ceiling';
/** `issue` (default): the order's shape when issue 13 set the ceiling; `local-records`: its writes as local activities. */
const CEILING_SHAPE = process.env.BENCH_CEILING_SHAPE === 'local-records' ? 'local-records' : 'issue';
/** The shop's moves after payment, each with its webhook: accepted, assembled, in delivery, delivered. */
export const CRM_STEPS = ['AP', 'CO', 'DE', 'F'] as const;

/** Resolves when the notify activity for (order, event) has started, with that moment. */
class Notifications {
  private readonly seen = new Map<string, number>();
  private readonly waiting = new Map<string, (at: number) => void>();
  record(orderId: string, event: string): void {
    const key = `${orderId}:${event}`;
    this.seen.set(key, Date.now());
    this.waiting.get(key)?.(Date.now());
  }
  when(orderId: string, event: string): Promise<number> {
    const key = `${orderId}:${event}`;
    const at = this.seen.get(key);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiting.set(key, resolve));
  }
}

export async function runCeiling() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-ceiling-'));
  const port = await freePort();
  const server = await startTemporalDevServer({
    port,
    uiPort: await freePort(),
    namespace: 'default',
    dbFile: path.join(dir, 'temporal.db'),
    logFile: path.join(dir, 'temporal.log'),
    cwd: path.resolve(__dirname, '..'),
  });
  const notifications = new Notifications();
  const activities: BareActivities = {
    noop: async () => {},
    notify: async (orderId, event) => notifications.record(orderId, event),
  };
  const nativeConnection = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  // The limits the order worker runs with by default (common/config.ts).
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('./lib/bare-order-workflow'),
    activities,
    maxConcurrentWorkflowTaskExecutions: 40,
    maxConcurrentActivityTaskExecutions: 100,
    maxCachedWorkflows: 1000,
  });
  const running = worker.run();
  try {
    const client = new Client({ connection });
    const signalToActivity: number[] = [];
    const ids = Array.from({ length: ORDERS }, (_, i) => `bare-${i}`);
    const started = Date.now();
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(server.pid))), 500);
    const cpu = sampleCpu({ devServer: server.pid });
    await inParallel(ORDERS, CONCURRENCY, async (i) => {
      const orderId = ids[i];
      await client.workflow.executeUpdateWithStart(bareUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(bareOrderWorkflow, {
          workflowId: orderId,
          taskQueue: TASK_QUEUE,
          args: [orderId, CEILING_SHAPE === 'local-records'],
          workflowIdConflictPolicy: 'FAIL',
        }),
      });
      await notifications.when(orderId, 'awaiting_payment');
      await client.workflow.getHandle(`${orderId}-pay`).signal(bareNudgeSignal);
      await notifications.when(orderId, 'paid');
      const handle = client.workflow.getHandle(orderId);
      for (const status of CRM_STEPS) {
        const sentAt = Date.now();
        await handle.signal(bareCrmSignal, status);
        signalToActivity.push((await notifications.when(orderId, status)) - sentAt);
      }
      await handle.result();
    });
    const elapsedMs = Date.now() - started;
    clearInterval(sampler);
    const cpuUsed = cpu.stop(ORDERS);
    let events = 0;
    await inParallel(ORDERS * 2, 20, async (i) => {
      const id = i < ORDERS ? ids[i] : `${ids[i - ORDERS]}-pay`;
      // Read first, then add: `events += await …` would add to the count as it was before the await.
      const history = await client.workflow.getHandle(id).fetchHistory();
      events += history.events?.length ?? 0;
    });
    return {
      orders: ORDERS,
      concurrency: CONCURRENCY,
      shape: CEILING_SHAPE,
      workflowsPerSec: perSecond(ORDERS, elapsedMs),
      historyEventsPerOrder: Math.round(events / ORDERS),
      stateTransitionsPerSec: perSecond(events, elapsedMs),
      signalToActivityMs: percentiles(signalToActivity),
      devServerPeakRssMb: mb(peakRss),
      cpu: cpuUsed, // "driver" is the worker and the driver together
      loadAverage: loadAverage(),
      note: 'worker and driver in this process; the dev server (SQLite file) is its own process',
    };
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await nativeConnection.close();
    await connection.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const run = runCeiling;

if (require.main === module) {
  run().then(
    (result) => console.log(JSON.stringify({ scenario: 'ceiling', ...result })),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
