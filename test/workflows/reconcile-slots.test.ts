import got from 'got';
import { createOrderRecordActivities } from '../../activities/order-records';
import { createReconcileActivities } from '../../activities/reconcile';
import { ORDER_WORKFLOW_TYPE, ORDERS_TASK_QUEUE, orderWorkflowId } from '../../common/contract';
import type { OrderInput, OrderRequest } from '../../common/order';
import { defaultIdempotencyScope, requestHash } from '../../orders/order-client';
import { reserveSlot } from '../../orders/slots';
import { newTrackingId } from '../../orders/tracking-id';
import { reconcileWorkflow } from '../../workflows';
import { shopDate } from '../support/dates';
import { startSystem, type TestSystem } from '../support/system';

/**
 * A place in a delivery slot is reserved with the order's Idempotency-Key claim, before its workflow starts. An API
 * that dies in between, or an order refused after its caller stopped waiting, leaves the place taken; reconcile
 * gives it back once, and never one whose order exists or still runs.
 * Real dev server and worker, real PostgreSQL.
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop());

const place = { date: shopDate(5), slot: '18:00-20:00' };
const taken = async () => (await system.db.prisma.slotLoad.findUnique({ where: { date_slot: place } }))?.taken ?? 0;

function request(): OrderRequest {
  return {
    customer: { phone: '+77015211545', name: 'Айгуль' },
    recipient: { name: 'Мария', phone: '+77011234567' },
    delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', ...place },
    items: [{ productId: system.production.products().find((p) => p.isAvailable)!.id, quantity: 1 }],
    paymentMethod: 'kaspi',
  };
}

/** What POST /orders commits before it starts the workflow: the key's claim and the slot's place, one transaction. */
async function claimAndReserve(order: OrderRequest, key: string): Promise<string> {
  const trackingId = newTrackingId();
  await system.db.prisma.$transaction(async (tx) => {
    await tx.idempotencyKey.create({
      data: { scope: defaultIdempotencyScope(order), key, requestHash: requestHash(order), trackingId },
    });
    if (!(await reserveSlot(tx, system.slots.rules, trackingId, place))) throw new Error('slot full');
  });
  return trackingId;
}

/** Twenty minutes ago: past the time any API call takes to start its order. */
const age = (trackingId: string) =>
  system.db.prisma.$executeRaw`
    UPDATE "SlotReservation" SET "createdAt" = now() - interval '20 minutes' WHERE "trackingId" = ${trackingId}`;

test('a reservation whose API died before the start is released once; a recent one, or one with a workflow or an order row, is kept', async () => {
  const prisma = system.db.prisma;
  const before = await taken();

  // The API died right after committing the claim: no workflow, no order row.
  const abandonedOrder = request();
  const abandoned = await claimAndReserve(abandonedOrder, 'died-before-start');
  // The same a moment ago: its API call may still be starting it.
  const recent = await claimAndReserve(request(), 'died-just-now');
  // Started, but no worker has run it yet (a queue nobody polls): no order row, the workflow exists.
  const waiting = await claimAndReserve(request(), 'started-not-run');
  await system.client.workflow.start(ORDER_WORKFLOW_TYPE, {
    workflowId: orderWorkflowId(waiting),
    taskQueue: 'no-worker-polls-this',
    args: [{ ...request(), trackingId: waiting, settings: { paymentDeadlineMs: 60_000, latePaymentWatchMs: 60_000 } }],
  });
  // Started, then refused after its API stopped waiting (here: ended before any worker ran it): closed, no row.
  const closedUnrecorded = await claimAndReserve(request(), 'refused-after-the-wait');
  const refused = await system.client.workflow.start(ORDER_WORKFLOW_TYPE, {
    workflowId: orderWorkflowId(closedUnrecorded),
    taskQueue: 'no-worker-polls-this',
    args: [{ ...request(), trackingId: closedUnrecorded, settings: { paymentDeadlineMs: 1, latePaymentWatchMs: 1 } }],
  });
  await refused.terminate('refused by pricing');
  // Recorded, and its workflow gone (closed and deleted by retention): the row says it started.
  const recorded = await claimAndReserve(request(), 'recorded-workflow-gone');
  const input: OrderInput = {
    ...request(),
    trackingId: recorded,
    settings: { paymentDeadlineMs: 1, latePaymentWatchMs: 1 },
  };
  await createOrderRecordActivities({ prisma }).recordOrder({
    input,
    priced: { items: [], totalKopecks: 1_000_000, deliveryFeeKopecks: 0 },
  });
  // A real order placed through the client: running workflow, order row.
  const { view: live } = await system.orders.place(request(), 'placed-normally');
  for (const id of [abandoned, waiting, closedUnrecorded, recorded, live.trackingId]) await age(id);
  expect(await taken()).toBe(before + 6);

  const report = await system.client.workflow.execute(reconcileWorkflow, {
    workflowId: `reconcile-slots-${Date.now()}`,
    taskQueue: ORDERS_TASK_QUEUE,
    args: [{ latePaymentWatchMs: 3_600_000 }],
  });
  expect(report.slotsReleased).toBe(2);
  expect(report.releasedSlots).toEqual(
    expect.arrayContaining([
      { trackingId: abandoned, ...place },
      { trackingId: closedUnrecorded, ...place },
    ]),
  );
  expect(await taken()).toBe(before + 4);
  const reservations = await prisma.slotReservation.findMany({ where: { releasedAt: { not: null } } });
  expect(reservations.map((r) => r.trackingId).sort()).toEqual([abandoned, closedUnrecorded].sort());
  // The claim went with the place, as for a rejected order: the customer's retry with that key reserves afresh.
  expect(await prisma.idempotencyKey.count({ where: { trackingId: { in: [abandoned, closedUnrecorded] } } })).toBe(0);
  expect(
    await prisma.idempotencyKey.count({ where: { trackingId: { in: [recent, waiting, recorded, live.trackingId] } } }),
  ).toBe(4);
  const run = await prisma.reconcileRun.findFirstOrThrow({ orderBy: { finishedAt: 'desc' } });
  expect(run.fixed).toBeGreaterThanOrEqual(2);
  expect(await got(`${system.apiUrl}/metrics`).text()).toMatch(
    /cvety_reconcile_findings\{outcome="slots_released"\} 2/,
  );

  // Again, straight through the activity: nothing more is released.
  const again = await createReconcileActivities({ prisma, temporal: system.client }).scanForReconcile();
  expect(again.releasedSlots).toEqual([]);
  expect(await taken()).toBe(before + 4);

  const retried = await system.orders.place(abandonedOrder, 'died-before-start');
  expect(retried.created).toBe(true);
  expect(retried.view.trackingId).not.toBe(abandoned);
  expect(await taken()).toBe(before + 5);
});
