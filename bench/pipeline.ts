/**
 * Order pipeline benchmark (issue 13 item 2, issue 11 "Load"): the stack as separate processes (bench/lib/stack.ts).
 * BENCH_ORDERS orders (default 500) with BENCH_CONCURRENCY in flight (default 10) are placed over HTTP, paid in the
 * Kaspi stand-in plus the signed callback, and driven by the CRM stand-in (AP, CO, DE, F, each with its webhook) to
 * `delivered`. "Notified" is the time the Telegram stand-in recorded the customer's message. The ceiling
 * (bench/ceiling.ts) runs before and after it at the same concurrency unless BENCH_CEILING_PER_SEC gives it.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import got, { type Got } from 'got';
import { signCallback } from '../api/secrets';
import { kaspiPaymentWorkflowId, orderWorkflowId } from '../common/contract';
import { kaspiPhone } from '../common/phone';
import { shopDate } from '../test/support/dates';
import { CRM_STEPS, runCeiling } from './ceiling';
import { latencyChains } from './lib/first-message-chain';
import { BENCH_API_KEY, loadAverage, postmasterOf, sampleCpu, sampleMemory, startStack, type Stack } from './lib/stack';
import { inParallel, percentiles, perSecond } from './lib/stats';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const CHAT_BASE = 700_000_000;
const MESSAGE_WAIT_MS = Number(process.env.BENCH_MESSAGE_WAIT_S ?? 120) * 1000;

type Sent = { method: string; at: string; ok: boolean };
type Bill = { externalId: string };
type CrmOrder = { orderId: number };

export interface OrderDriver {
  api: Got;
  /** Places order i with its own Telegram chat; resolves once the customer has been asked to pay. */
  place(i: number): Promise<{ trackingId: string; externalId: string; startedAt: number; requestedAt: number }>;
  pay(trackingId: string, externalId: string): Promise<void>;
  /** The order's CRM id, once the CRM lane has created it. */
  crmOrderId(trackingId: string): Promise<number>;
  /** Waits until chat i has `count` messages; returns the time the last of them was recorded. */
  messageAt(i: number, count: number): Promise<number>;
}

export function orderDriver(stack: Stack): OrderDriver {
  const api = got.extend({
    prefixUrl: stack.apiUrl,
    responseType: 'json',
    retry: { limit: 0 },
    headers: { Authorization: `Bearer ${BENCH_API_KEY}` },
  });
  const control = got.extend({ prefixUrl: `${stack.productionUrl}/__control`, retry: { limit: 0 } });
  const products = { list: undefined as undefined | { id: number; isAvailable: boolean }[] };
  const messageAt = async (i: number, count: number): Promise<number> => {
    // A message that never comes (e.g. flagged in doubt on the order) fails this order instead of the whole run.
    const giveUpAt = Date.now() + MESSAGE_WAIT_MS;
    while (Date.now() < giveUpAt) {
      const sent = await got(`${stack.telegramUrl}/__control/sent`, {
        searchParams: { chat_id: String(CHAT_BASE + i), min: count, timeout: Math.min(60_000, giveUpAt - Date.now()) },
        retry: { limit: 0 },
      }).json<Sent[]>();
      if (sent.length >= count) return Date.parse(sent[count - 1].at);
    }
    throw new Error(`chat ${CHAT_BASE + i}: message ${count} not sent within ${MESSAGE_WAIT_MS / 1000} s`);
  };
  return {
    api,
    messageAt,
    async place(i) {
      products.list ??= (await control('products').json<{ id: number; isAvailable: boolean }[]>()).filter(
        (p) => p.isAvailable,
      );
      const startedAt = Date.now();
      const phone = `+7701${String(1_000_000 + i).slice(-7)}`;
      const { body } = await api.post<{ trackingId: string }>('api/v1/orders', {
        json: {
          customer: { phone, name: 'Бенчмарк', telegramChatId: CHAT_BASE + i },
          recipient: { name: 'Мария' },
          delivery: { type: 'delivery', address: 'Астана, Кенесары 40', date: shopDate(1), slot: '14:00-16:00' },
          items: [{ productId: products.list[i % products.list.length].id, quantity: 1 }],
        },
      });
      const requestedAt = await messageAt(i, 1); // "awaiting payment" goes once the bill exists
      // The customer finds the bill in the Kaspi app (the stand-in), as the ceiling's driver needs no query either.
      const bills = await control('payments', { searchParams: { phone: kaspiPhone(phone) } }).json<Bill[]>();
      if (bills.length !== 1) throw new Error(`order ${body.trackingId}: ${bills.length} bills instead of one`);
      return { trackingId: body.trackingId, externalId: bills[0].externalId, startedAt, requestedAt };
    },
    async crmOrderId(trackingId) {
      // The florist finds the order in the CRM by our tracking id; the CRM lane may still be creating it.
      for (let tries = 0; tries < 300; tries++) {
        const [order] = await control('orders', { searchParams: { railwayOrderId: trackingId } }).json<CrmOrder[]>();
        if (order) return order.orderId;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`order ${trackingId}: no CRM order after 30 s`);
    },
    async pay(_trackingId, externalId) {
      // The customer pays in the Kaspi app; the signed callback makes the bill be read at once.
      await control.post(`payments/${externalId}`, { json: { status: 'Processed' } });
      const body = JSON.stringify({ externalId, status: 'Processed' });
      const timestamp = String(Math.floor(Date.now() / 1000));
      await api.post('api/v1/webhooks/kaspi', {
        body,
        headers: {
          'content-type': 'application/json',
          'X-Signature': signCallback(body, timestamp, stack.plan.env.KASPI_CALLBACK_SECRET),
          'X-Timestamp': timestamp,
        },
      });
    },
  };
}

/** History events of an order and its payment workflow, on average (the ceiling counts the same), and where two latencies go. */
async function historiesOf(stack: Stack, trackingIds: string[]) {
  const connection = await Connection.connect({ address: `127.0.0.1:${stack.plan.ports.temporal}` });
  try {
    const client = new Client({ connection, namespace: stack.plan.env.TEMPORAL_NAMESPACE ?? 'default' });
    // Twenty orders from the middle of the run, when the pipeline is full.
    const middle = Math.max(0, Math.floor(trackingIds.length / 2) - 10);
    const chains = await latencyChains(client, trackingIds.slice(middle, middle + 20));
    let events = 0;
    const ids = trackingIds.flatMap((t) => [orderWorkflowId(t), kaspiPaymentWorkflowId(t, 1)]);
    await inParallel(ids.length, 20, async (i) => {
      const history = await client.workflow.getHandle(ids[i]).fetchHistory();
      events += history.events?.length ?? 0;
    });
    return { historyEventsPerOrder: Math.round(events / Math.max(trackingIds.length, 1)), chainsMs: chains };
  } finally {
    await connection.close();
  }
}

/**
 * This machine's speed drifts by up to a third within the hour, so the ceiling runs before the pipeline and again
 * after it, and the ratio takes their mean (BENCH_CEILING_RUNS=1: before only; BENCH_CEILING_PER_SEC: given).
 */
export async function run(): Promise<object> {
  const given = process.env.BENCH_CEILING_PER_SEC;
  const ceiling = given ? { workflowsPerSec: Number(given) } : await runCeiling();
  const pipeline = await runPipeline();
  const after = given || process.env.BENCH_CEILING_RUNS === '1' ? undefined : await runCeiling();
  const ceilingPerSec = after ? (ceiling.workflowsPerSec + after.workflowsPerSec) / 2 : ceiling.workflowsPerSec;
  return {
    ...pipeline,
    ceilingPerSec: Math.round(ceilingPerSec * 100) / 100,
    ceilingRunsPerSec: after ? [ceiling.workflowsPerSec, after.workflowsPerSec] : undefined,
    ratioToCeiling: Math.round((pipeline.ordersPerSec / ceilingPerSec) * 100) / 100,
    bareSignalToActivityMs: 'signalToActivityMs' in ceiling ? ceiling.signalToActivityMs : undefined,
    ceiling: 'stateTransitionsPerSec' in ceiling ? { ...ceiling, signalToActivityMs: undefined } : undefined,
    ceilingAfter: after && { ...after, signalToActivityMs: undefined },
  };
}

async function runPipeline() {
  const stack = await startStack();
  const memory = sampleMemory({ worker: stack.processes.worker, api: stack.processes.api });
  const { temporal, worker, api, standins } = stack.processes;
  const cpuUse = sampleCpu(
    { devServer: temporal.pid, worker: worker.pid, api: api.pid, standins: standins.pid },
    { postgres: postmasterOf(path.join(stack.dataDir, 'postgres')) },
  );
  const errors: string[] = [];
  try {
    const driver = orderDriver(stack);
    const control = got.extend({ prefixUrl: `${stack.productionUrl}/__control`, retry: { limit: 0 } });
    const toRequested: number[] = [];
    const toPaidNotified: number[] = [];
    const webhookToNotified: number[] = [];
    const started = Date.now();
    let delivered = 0;
    const trackingIds: string[] = [];
    await inParallel(ORDERS, CONCURRENCY, async (i) => {
      try {
        const order = await driver.place(i);
        trackingIds.push(order.trackingId);
        toRequested.push(order.requestedAt - order.startedAt);
        const paidAt = Date.now();
        await driver.pay(order.trackingId, order.externalId);
        toPaidNotified.push((await driver.messageAt(i, 2)) - paidAt);
        const crmOrderId = await driver.crmOrderId(order.trackingId);
        for (const [step, status] of CRM_STEPS.entries()) {
          const sentAt = Date.now();
          await control.post(`orders/${crmOrderId}/status`, { json: { status } });
          webhookToNotified.push((await driver.messageAt(i, 3 + step)) - sentAt);
        }
        delivered++;
      } catch (err) {
        errors.push(`order ${i}: ${(err as Error).message}`);
      }
    });
    const elapsedMs = Date.now() - started;
    const ordersPerSec = perSecond(delivered, elapsedMs);
    const peakRssMb = memory.stop();
    const cpu = cpuUse.stop(delivered);
    const histories = await historiesOf(stack, trackingIds);
    return {
      orders: ORDERS,
      concurrency: CONCURRENCY,
      delivered,
      ordersPerSec,
      createToPaymentRequestedMs: percentiles(toRequested),
      paymentToNotifiedMs: percentiles(toPaidNotified),
      crmWebhookToNotifiedMs: percentiles(webhookToNotified),
      peakRssMb,
      ...histories,
      cpu,
      errors: errors.slice(0, 5),
      errorCount: errors.length,
      loadAverage: loadAverage(),
    };
  } finally {
    memory.stop();
    await stack.stop();
  }
}

if (require.main === module) {
  run().then(
    (result) => console.log(JSON.stringify({ scenario: 'pipeline', ...result })),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
