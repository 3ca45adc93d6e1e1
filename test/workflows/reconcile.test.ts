import got from 'got';
import { ORDERS_TASK_QUEUE, orderWorkflowId } from '../../common/contract';
import { reconcileWorkflow } from '../../workflows';
import { Journey } from '../support/journey';
import { startSystem, type TestSystem } from '../support/system';

/**
 * On the local dev server (real time, real retention semantics): a closed order answers from the database once
 * Temporal has deleted it (issue 9, item 9), and reconciliation finds and settles what no workflow watches (item 10).
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop());

const until = async (ok: () => Promise<boolean>, what: string, tries = 100) => {
  for (let i = 0; i < tries; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`never ${what}`);
};

test('a delivered order deleted by retention still answers from the database; cancelling it is refused with the reason', async () => {
  const journey = new Journey(system);
  await journey.place();
  await until(async () => (await journey.view()).status === 'awaiting_payment', 'billed');
  await journey.pay();
  await until(async () => (await journey.view()).status === 'paid', 'paid');
  await until(async () => journey.crmOrders().length === 1, 'in the CRM');
  await journey.shop('F');
  await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).result();
  // What Temporal's retention does to a closed workflow.
  await system.client.workflowService.deleteWorkflowExecution({
    namespace: 'default',
    workflowExecution: { workflowId: orderWorkflowId(journey.trackingId) },
  });
  await until(
    () =>
      system.client.workflow
        .getHandle(orderWorkflowId(journey.trackingId))
        .describe()
        .then(() => false)
        .catch(() => true),
    'deleted', // in the background: about half a minute on the dev server
    400,
  );

  const view = await system.orders.status(journey.trackingId); // the API's answer, from the records
  expect(view).toMatchObject({ status: 'delivered', payment: { status: 'paid' }, totalKopecks: expect.any(Number) });
  expect(view.history.map((h) => h.status)).toEqual(expect.arrayContaining(['new', 'paid', 'delivered']));
  const refused = await system.orders.cancel(journey.trackingId).catch((e: unknown) => e);
  expect(refused).toMatchObject({ type: 'NotCancellable', message: expect.stringMatching(/delivered/) });
  const overHttp = await got(`${system.apiUrl}/api/v1/orders/${journey.trackingId}`, { throwHttpErrors: false });
  expect(overHttp.statusCode).toBe(200);
});

test('reconcile returns money no workflow claims, reports unknown money and bills in doubt, and says so in its report', async () => {
  const prisma = system.db.prisma;
  // A cancelled order whose paid bill was never returned, and whose workflows are gone.
  const stray = new Journey(system);
  await stray.place();
  await until(async () => (await stray.view()).status === 'awaiting_payment', 'billed');
  const bill = stray.kaspiRequests()[0];
  await system.client.workflow.getHandle(orderWorkflowId(stray.trackingId)).terminate('lost in an accident');
  await system.client.workflow.getHandle(`kaspi-${stray.trackingId}-1`).terminate('lost in an accident');
  await got.post(`${system.production.url}/__control/payments/${bill.externalId}`, { json: { status: 'Processed' } });
  await prisma.order.update({ where: { trackingId: stray.trackingId }, data: { status: 'cancelled' } });
  await prisma.payment.updateMany({ where: { externalId: bill.externalId }, data: { status: 'processed' } });

  // A bill in doubt that nobody watches, and a callback for money we never asked for.
  const doubtful = new Journey(system);
  await doubtful.place();
  await until(async () => (await doubtful.view()).status === 'awaiting_payment', 'billed');
  await system.client.workflow.getHandle(orderWorkflowId(doubtful.trackingId)).terminate('lost');
  await system.client.workflow.getHandle(`kaspi-${doubtful.trackingId}-1`).terminate('lost');
  await prisma.payment.updateMany({
    where: { order: { trackingId: doubtful.trackingId } },
    data: { status: 'in_doubt', externalId: null },
  });
  const unknown = await stray.callback('99999999999', 'Processed');
  expect(unknown.statusCode).toBe(202);

  // Old enough to be nobody's work in progress.
  await prisma.$executeRawUnsafe(`UPDATE "Payment" SET "updatedAt" = now() - interval '1 hour'`);

  const report = await system.client.workflow.execute(reconcileWorkflow, {
    workflowId: `reconcile-test-${Date.now()}`,
    taskQueue: ORDERS_TASK_QUEUE,
    args: [{ latePaymentWatchMs: 3_600_000 }],
  });
  expect(report.refunded).toBeGreaterThanOrEqual(1);
  expect(stray.kaspiRequests()[0].refunds).toHaveLength(1);
  expect(report.findings).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'payment_in_doubt', trackingId: doubtful.trackingId }),
      expect.objectContaining({ kind: 'unknown_payment', externalId: '99999999999' }),
    ]),
  );
  const marked = await prisma.order.findUniqueOrThrow({ where: { trackingId: doubtful.trackingId } });
  expect(marked.needsAttention).toBe(true);
  expect(await prisma.reconcileRun.count()).toBeGreaterThanOrEqual(1);

  // A second pass returns nothing twice.
  const again = await system.client.workflow.execute(reconcileWorkflow, {
    workflowId: `reconcile-test-again-${Date.now()}`,
    taskQueue: ORDERS_TASK_QUEUE,
    args: [{ latePaymentWatchMs: 3_600_000 }],
  });
  expect(again.refunded).toBe(0);
  expect(stray.kaspiRequests()[0].refunds).toHaveLength(1);

  const metrics = await got(`${system.apiUrl}/metrics`).text();
  expect(metrics).toMatch(/cvety_orders_needing_attention \d+/);
  expect(metrics).toMatch(/cvety_reconcile_findings\{outcome="needs_attention"\} [1-9]/);
}, 120_000);
