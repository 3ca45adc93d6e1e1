/**
 * Records real histories into test/histories/ for the replay test. test/histories/ is append-only: a history,
 * once committed, stays and must replay on every later version, so this script only writes files that do not
 * exist yet (pass names to choose scenarios). Orders run on the time-skipping server with the real worker,
 * activities, PostgreSQL and stand-ins; the catalog sync on the local dev server.
 *   npx tsx scripts/capture-histories.ts [name ...]
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';
import type { OrderView } from '../common/order';
import { kaspiPaymentWorkflowId, orderWorkflowId, TASK_QUEUE } from '../common/contract';
import { catalogSyncWorkflow, productSyncWorkflow } from '../workflows';
import { settleInDoubtSignal } from '../workflows/messages';
import { fault, Journey } from '../test/support/journey';
import { SLOW_PACE } from '../test/support/order-system';
import { startSystem, type TestSystem } from '../test/support/system';
import { chooseTestPostgres } from '../test/support/test-postgres';

const dir = path.resolve(__dirname, '../test/histories');
const wanted = new Set(process.argv.slice(2));
const statusIs = (status: string) => (v: { status: string }) => v.status === status;

/** Each order scenario drives one order; its history (and named payment histories) are written after it. */
type Scenario = (system: TestSystem, journey: Journey) => Promise<{ payments?: Record<string, number> }>;

const paid = async (journey: Journey) => {
  await journey.place();
  await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
  await journey.pay();
  await journey.until(statusIs('paid'), 'paid');
};

const orderScenarios: Record<string, Scenario> = {
  'v2-order-delivered': async (_system, journey) => {
    await paid(journey);
    for (const status of ['AP', 'CO', 'DE', 'F'] as const) await journey.shop(status);
    return { payments: { 'v2-kaspi-kept': 1 } };
  },
  'v2-order-expired-then-paid-late': async (system, journey) => {
    await journey.place();
    await journey.until(statusIs('cancelled'), 'expired', '5m', 20);
    const bill = system.client.workflow.getHandle(kaspiPaymentWorkflowId(journey.trackingId, 1));
    const watched = await bill.describe();
    await bill.result();
    await save(system.client, bill.workflowId, 'v2-kaspi-expired', watched.runId);
    await journey.pay(); // after the watch ended: the callback starts it again, the money goes back
    await bill.result();
    return { payments: { 'v2-kaspi-paid-after-watch': 1 } };
  },
  'v2-order-paid-then-cancelled': async (system, journey) => {
    await paid(journey);
    await system.orders.cancel(journey.trackingId, 'передумала');
    await journey.until((v) => v.payment.status === 'refunded', 'refunded');
    return {};
  },
  'v2-order-shop-cancel': async (_system, journey) => {
    await paid(journey);
    await journey.shop('RF');
    await journey.until((v) => v.payment.status === 'refunded', 'refunded');
    return {};
  },
  'v2-order-crm-down-past-budget': async (system, journey) => {
    await fault(system.production.url, { route: '/orders/create/', mode: 'error500' });
    await paid(journey);
    await journey.until((v) => !!v.attention?.some((a) => a.key === 'crm:create'), 'flagged', '2h', 20);
    await system.orders.cancel(journey.trackingId);
    await journey.until((v) => v.payment.status === 'refunded', 'refunded');
    return {};
  },
  'v2-order-payment-in-doubt': async (system, journey) => {
    await fault(system.production.url, { route: '/paymentkaspi/create/', mode: 'slow', delayMs: 3_000, count: 1 });
    await journey.place();
    await journey.until((v) => v.payment.status === 'in_doubt', 'in doubt');
    await journey.until(() => journey.kaspiRequests().length === 1, 'billed');
    await system.client.workflow
      .getHandle(kaspiPaymentWorkflowId(journey.trackingId, 1))
      .signal(settleInDoubtSignal, { externalId: journey.kaspiRequests()[0].externalId });
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await journey.pay();
    await journey.until(statusIs('paid'), 'paid');
    await journey.shop('F');
    return { payments: { 'v2-kaspi-in-doubt': 1 } };
  },
  'v2-order-stray-payment-refunded': async (system, journey) => {
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await system.orders.requestNewPayment(journey.trackingId, '+77017654321');
    await journey.until((v) => v.payment.attempt === 2 && v.status === 'awaiting_payment', 'billed again');
    await journey.pay(journey.kaspiRequests()[0].externalId); // the withdrawn first bill
    await journey.pay(journey.kaspiRequests()[1].externalId);
    await journey.until(statusIs('paid'), 'paid');
    await journey.until(() => journey.kaspiRequests()[0].refundedTotal > 0, 'stray refunded', '1m');
    await journey.shop('F');
    return { payments: { 'v2-kaspi-stray-refunded': 1 } };
  },
};

/** Orders of the delivery-day version (issue 15): the photo to approve, the reminder, the rating. */
const DELIVERY_DAY = {
  approvalTimeoutMs: 3_600_000,
  ratingTimeoutMs: 3 * 86_400_000,
  ratingCommentMs: 30 * 60_000,
  reminderAt: '09:00',
  shopTimeZone: 'Asia/Almaty',
};
const deliveryDayScenarios: Record<string, Scenario> = {
  'v3-order-approval-change-then-rated': async (system, journey) => {
    const [first, second] = system.production.products().map((p) => p.image!);
    await paid(journey);
    await journey.shop('AP');
    await journey.shop('CO', first);
    const asked = (round: number) => (v: OrderView) => v.approval?.round === round && v.approval.state === 'awaiting';
    await journey.until(asked(1), 'asked');
    const answer = { telegramUserId: journey.chatId, round: 1, decision: 'change' as const, comment: 'Без лилий' };
    await system.orders.answerApproval(journey.trackingId, answer);
    await journey.shop('CO', second);
    await journey.until(asked(2), 'asked again');
    await system.orders.answerApproval(journey.trackingId, { ...answer, round: 2, decision: 'approve' });
    await crmHeard(journey, 'approved');
    await journey.shop('DE');
    await journey.shop('F');
    await journey.until((v) => v.status === 'delivered', 'delivered');
    await system.orders.rate(journey.trackingId, { telegramUserId: journey.chatId, stars: 5 });
    await system.orders.rate(journey.trackingId, { telegramUserId: journey.chatId, comment: 'Красиво!' });
    return {};
  },
  'v3-order-approval-and-rating-timed-out': async (system, journey) => {
    await paid(journey);
    await journey.shop('CO', system.production.products()[0].image!);
    await journey.until((v) => v.approval?.state === 'timed_out', 'approval timed out', '20m', 12);
    await crmHeard(journey, 'timed_out');
    await journey.shop('DE');
    await journey.shop('F');
    await system.env.sleep('3d');
    return {};
  },
  // The timeout's notice (patch approval-timeout-notice) goes before the held courier move is applied and told.
  'v4-order-approval-timed-out-told': async (system, journey) => {
    await paid(journey);
    await journey.shop('CO', system.production.products()[0].image!);
    await journey.until((v) => v.approval?.state === 'awaiting', 'asked');
    await fetch(`${system.production.url}/__control/orders/${journey.crmOrders()[0].orderId}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'DE' }),
    });
    await journey.until((v) => v.status === 'in_delivery', 'in delivery after the timeout', '20m', 12);
    await journey.until(() => journey.texts().some((t) => /Курьер уже везёт/.test(t)), 'told of the courier');
    await journey.shop('F');
    await system.env.sleep('3d');
    return {};
  },
};

// Every patch so far at once (publish-once with the delivery day's): the same journeys again.
deliveryDayScenarios['v5-order-approval-change-then-rated'] =
  deliveryDayScenarios['v3-order-approval-change-then-rated'];
deliveryDayScenarios['v5-order-approval-timed-out-told'] = deliveryDayScenarios['v4-order-approval-timed-out-told'];

/** The CRM lets the courier leave once it has heard the customer's answer (the workflow tells it on its own lane). */
const crmHeard = (journey: Journey, decision: string) =>
  journey.until(() => journey.crmOrders()[0].approvals?.at(-1)?.decision === decision, `CRM heard ${decision}`);

// Upserts once per activation and only on change (patch 'publish-once'): the same journeys again.
orderScenarios['v4-order-delivered'] = async (system, journey) => {
  await orderScenarios['v2-order-delivered'](system, journey);
  return {};
};
orderScenarios['v4-order-paid-then-cancelled'] = orderScenarios['v2-order-paid-then-cancelled'];
// A repeated "new bill" to the same phone answered with the bill just sent (patch 'new-payment-once').
orderScenarios['v5-order-new-bill-repeated'] = async (system, journey) => {
  await journey.place();
  await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
  await system.orders.requestNewPayment(journey.trackingId, '+77017654321', 1);
  await journey.until((v) => v.payment.attempt === 2 && v.payment.status === 'requested', 'bill 2');
  await system.orders.requestNewPayment(journey.trackingId, '+77017654321', 2);
  await system.orders.cancel(journey.trackingId);
  return {};
};

// Bills watched by the server's retries of one look after a quiet interval (patch 'bill-watch-by-retry').
orderScenarios['v6-order-paid-after-server-paced-looks'] = async (system, journey) => {
  await journey.place();
  await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
  await system.env.sleep('15m'); // the first quiet interval, then the server's first look
  await journey.pay(undefined, { callback: false });
  await journey.until(statusIs('paid'), 'paid', '5m', 10);
  await system.orders.cancel(journey.trackingId, 'передумала');
  await journey.until((v) => v.payment.status === 'refunded', 'refunded');
  return { payments: { 'v6-kaspi-paid-after-server-paced-looks': 1 } };
};
orderScenarios['v6-order-expired-watched-by-server'] = async (_system, journey) => {
  await journey.place();
  await journey.until(statusIs('cancelled'), 'expired', '5m', 20);
  return { payments: { 'v6-kaspi-expired-watched-by-server': 1 } };
};

// The order's own database writes as local activities (patch 'local-records'): the same journeys again.
orderScenarios['v7-order-delivered'] = orderScenarios['v4-order-delivered'];
orderScenarios['v7-order-paid-then-cancelled'] = orderScenarios['v2-order-paid-then-cancelled'];

// The lanes' writes as ordinary activities again, recordOrder still local (patch 'lane-records-activities').
orderScenarios['v8-order-delivered'] = orderScenarios['v4-order-delivered'];
orderScenarios['v8-order-paid-then-cancelled'] = orderScenarios['v2-order-paid-then-cancelled'];

// The record lane's writes in batches, the memo without the status (patch 'lean-steps').
orderScenarios['v9-order-delivered'] = orderScenarios['v4-order-delivered'];
orderScenarios['v9-order-paid-then-cancelled'] = orderScenarios['v2-order-paid-then-cancelled'];

// The main loop's timer kept while its deadline stays (patch 'steady-timer').
orderScenarios['v10-order-delivered'] = orderScenarios['v4-order-delivered'];
orderScenarios['v10-order-paid-then-cancelled'] = orderScenarios['v2-order-paid-then-cancelled'];
orderScenarios['v10-order-expired-watched-by-server'] = async (system, journey) => {
  await orderScenarios['v6-order-expired-watched-by-server'](system, journey);
  return {}; // the bill's workflow is unchanged: v6-kaspi-expired-watched-by-server has it
};

// A status change's record riding with its message (patch 'status-with-message'); with approval, the "assembled"
// message gives way to the photo, and the record lane writes the step it would have carried.
orderScenarios['v11-order-delivered'] = orderScenarios['v4-order-delivered'];
orderScenarios['v11-order-paid-then-cancelled'] = orderScenarios['v2-order-paid-then-cancelled'];
deliveryDayScenarios['v11-order-approval-change-then-rated'] =
  deliveryDayScenarios['v3-order-approval-change-then-rated'];

// The bill's request, its look on a callback and its "kept" mark as local activities (patch 'bill-local-calls').
const withPayments =
  (scenario: Scenario, payments: Record<string, number>): Scenario =>
  async (system, journey) => {
    await scenario(system, journey);
    return { payments };
  };
orderScenarios['v12-order-delivered'] = withPayments(orderScenarios['v4-order-delivered'], { 'v12-kaspi-kept': 1 });
orderScenarios['v12-order-payment-in-doubt'] = withPayments(orderScenarios['v2-order-payment-in-doubt'], {
  'v12-kaspi-in-doubt': 1,
});
orderScenarios['v12-order-paid-after-server-paced-looks'] = withPayments(
  orderScenarios['v6-order-paid-after-server-paced-looks'],
  { 'v12-kaspi-paid-after-server-paced-looks': 1 },
);

// A status rides with its message behind earlier rides too (patch 'rides-in-line'): the journeys whose statuses
// come while the last message is on its way.
orderScenarios['v13-order-delivered'] = orderScenarios['v4-order-delivered'];
orderScenarios['v13-order-paid-then-cancelled'] = orderScenarios['v2-order-paid-then-cancelled'];

async function captureDeliveryDay() {
  const names = Object.keys(deliveryDayScenarios).filter(chosen);
  if (!names.length) return;
  const system = await startSystem({
    temporal: 'time-skipping',
    productionTimeoutMs: 2_000,
    settings: { deliveryDay: DELIVERY_DAY, timings: { ...SLOW_PACE, crmPollMs: 12 * 3_600_000 } },
  });
  try {
    for (const name of names) {
      const journey = new Journey(system);
      await deliveryDayScenarios[name](system, journey);
      await save(system.client, orderWorkflowId(journey.trackingId), name);
    }
  } finally {
    await system.stop();
  }
}

async function save(client: Client, workflowId: string, name: string, runId?: string) {
  const file = path.join(dir, `${name}.json`);
  if (fs.existsSync(file)) throw new Error(`${file} exists: histories are append-only, choose a new name`);
  const handle = client.workflow.getHandle(workflowId, runId);
  await handle.result().catch(() => undefined);
  const history = await handle.fetchHistory();
  fs.writeFileSync(file, historyToJSON(history));
  console.log(`captured ${name}: ${history.events?.length} events`);
}

const chosen = (name: string) => (wanted.size ? wanted.has(name) : !fs.existsSync(path.join(dir, `${name}.json`)));

async function captureOrders() {
  const names = Object.keys(orderScenarios).filter(chosen);
  if (!names.length) return;
  const system = await startSystem({
    temporal: 'time-skipping',
    productionTimeoutMs: 2_000,
    settings: { latePaymentWatchMs: 3 * 3_600_000, timings: SLOW_PACE },
  });
  try {
    for (const name of names) {
      const journey = new Journey(system);
      const { payments = {} } = await orderScenarios[name](system, journey);
      await save(system.client, orderWorkflowId(journey.trackingId), name);
      for (const [paymentName, attempt] of Object.entries(payments)) {
        await save(system.client, kaspiPaymentWorkflowId(journey.trackingId, attempt), paymentName);
      }
      await fetch(`${system.production.url}/__control/faults`, { method: 'DELETE' });
    }
  } finally {
    await system.stop();
  }
}

async function captureContinueAsNew() {
  const name = 'v2-order-continued-as-new';
  if (!chosen(name)) return;
  const system = await startSystem({
    temporal: 'time-skipping',
    settings: { continueAsNewAfterEvents: 60, timings: SLOW_PACE },
  });
  try {
    const journey = new Journey(system);
    await paid(journey);
    await journey.until((v) => v.history.length > 0, 'polled', '30m', 4);
    const handle = system.client.workflow.getHandle(orderWorkflowId(journey.trackingId));
    const first = (await handle.describe()).runId;
    await system.env.sleep('3h');
    await journey.shop('F');
    await handle.result();
    const runs = await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId), first).fetchHistory();
    fs.writeFileSync(path.join(dir, `${name}.json`), historyToJSON(runs));
    console.log(`captured ${name}: ${runs.events?.length} events`);
  } finally {
    await system.stop();
  }
}

/** Paid after the CRM poll was due: the loop, woken by the payment, starts its poll timer instead of reading at once. */
async function capturePaidAfterPollTime() {
  const name = 'v3-order-paid-after-poll-time';
  if (!chosen(name)) return;
  const system = await startSystem({
    temporal: 'time-skipping',
    settings: { timings: { ...SLOW_PACE, crmPollMs: 10 * 60_000 } },
  });
  try {
    const journey = new Journey(system);
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await system.env.sleep('15m');
    await journey.pay();
    await journey.until(statusIs('paid'), 'paid');
    await journey.until(() => journey.crmOrders()[0]?.history.length > 0, 'polled', '20m', 4);
    await journey.shop('F');
    await save(system.client, orderWorkflowId(journey.trackingId), name);
  } finally {
    await system.stop();
  }
}

async function captureCatalogSync() {
  const names = ['catalog-sync', 'product-sync'].filter(chosen);
  if (!names.length) return;
  const system = await startSystem();
  try {
    const productId = system.production.products()[0].id;
    if (names.includes('catalog-sync')) {
      await system.client.workflow.start(catalogSyncWorkflow, {
        workflowId: 'replay-catalog-sync',
        taskQueue: TASK_QUEUE,
      });
      await save(system.client, 'replay-catalog-sync', 'catalog-sync');
    }
    if (names.includes('product-sync')) {
      await system.client.workflow.start(productSyncWorkflow, {
        workflowId: 'replay-product-sync',
        taskQueue: TASK_QUEUE,
        args: [productId],
      });
      await save(system.client, 'replay-product-sync', 'product-sync');
    }
  } finally {
    await system.stop();
  }
}

async function main() {
  const postgres = await chooseTestPostgres();
  process.env.TEST_PG_ADMIN_URL = postgres.adminUrl;
  try {
    await captureCatalogSync();
    await captureOrders();
    await captureContinueAsNew();
    await captureDeliveryDay();
    await capturePaidAfterPollTime();
  } finally {
    await postgres.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
