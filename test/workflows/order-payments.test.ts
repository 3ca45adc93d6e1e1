import type { OrderView } from '../../common/order';
import { ORDER_STATUSES, kaspiPaymentWorkflowId, orderWorkflowId } from '../../common/contract';
import { settleInDoubtSignal } from '../../workflows/messages';
import { expectInvariants, fault, Journey } from '../support/journey';
import { statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

let system: TestSystem;
const current = useOrderSystem();
beforeAll(() => {
  system = current();
});
const WHOLE_JOURNEY = ORDER_STATUSES.filter((s) => s !== 'cancelled');

describe('the customer pays: polled and called back, a bill seen early, a lost answer, refusals (issue 9, items 1–2)', () => {
  test('delivered: one CRM order, one Kaspi request, one message per step, no "order received" twice', async () => {
    const journey = new Journey(system);
    const placed = await journey.place();
    expect(placed.status).toBe('new');
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await journey.pay(undefined, { callback: false }); // no callback: the poll finds the money
    await journey.until(statusIs('paid'), 'paid', '2m', 15);
    await journey.shop('AP');
    await journey.shop('CO', 'http://127.0.0.1:1/assembled.jpg');
    await journey.shop('DE');
    await journey.shop('F');
    const done = (await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).result()) as OrderView;
    expect(done.history.map((h) => h.status)).toEqual(WHOLE_JOURNEY);
    expect(done.payment).toMatchObject({ status: 'paid', attempt: 1 });
    expect(done.attention).toEqual([]);

    expect(journey.kaspiRequests()).toHaveLength(1);
    expect(journey.crmOrders()).toHaveLength(1);
    expect(journey.crmOrders()[0].history.map((h: { status: string }) => h.status)).toContain('PD');
    // The bot confirms the order itself: the workflow's first message is the bill.
    expect(journey.texts().map((t) => t.split(' ')[0])).toHaveLength(WHOLE_JOURNEY.length - 1);
    expect(journey.texts()[0]).toMatch(/Оплатите заказ/);
    const recorded = await system.db.prisma.order.findUniqueOrThrow({ where: { trackingId: journey.trackingId } });
    expect(recorded).toMatchObject({ status: 'delivered', paymentState: 'paid', needsAttention: false });
    // The first write ran as a local activity; the record lane's writes, which may retry for an hour, as activities,
    // those that waited together as one batch.
    const history = await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).fetchHistory();
    const activities = history.events!.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(activities).not.toContain('recordOrder');
    expect(activities).toContain('recordSteps');
    expect(activities.filter((a) => a === 'recordStatus' || a === 'recordCrm' || a === 'recordAttention')).toEqual([]);
    // One timer for the payment deadline, one for the CRM poll: the messages in between do not restart them.
    const timers = history.events!.filter((e) => e.timerStartedEventAttributes).length;
    const fired = history.events!.filter((e) => e.timerFiredEventAttributes).length;
    expect(timers - fired).toBeLessThanOrEqual(2);
    // Messages alone or with their status's record (patch 'status-with-message').
    expect(activities.filter((a) => a === 'notifyCustomer' || a === 'notifyWithSteps').length).toBe(6);
    await expectInvariants(system, journey);
  });

  test('a payment seen while the request is still on its way is kept, not refunded (item 1)', async () => {
    const journey = new Journey(system);
    // The proxy holds the create answer for 1.5 s: the bill exists at Kaspi before we know its id.
    await fault(system.production.url, { route: '/paymentkaspi/create/', mode: 'slow', delayMs: 1_500, count: 1 });
    await journey.place();
    for (let i = 0; i < 50 && journey.kaspiRequests().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const externalId = await journey.pay();
    const early = await journey.callback(externalId); // its row has no external id yet
    expect([200, 202]).toContain(early.statusCode);
    const paid = await journey.until(statusIs('paid'), 'paid', '1m', 20);
    expect(paid.payment).toMatchObject({ status: 'paid', externalId });
    expect(journey.kaspiRequests()).toHaveLength(1);
    expect(journey.kaspiRequests()[0].refundedTotal).toBe(0);
    await expectInvariants(system, journey);
  });

  test('a lost Kaspi answer never sends a second bill: the order needs attention until an operator settles it (item 2)', async () => {
    const journey = new Journey(system);
    // The answer comes after the activity stopped waiting: the bill exists, its id never reached us.
    await fault(system.production.url, { route: '/paymentkaspi/create/', mode: 'slow', delayMs: 3_000, count: 1 });
    await journey.place();
    const doubt = await journey.until((v) => v.payment.status === 'in_doubt', 'in doubt');
    expect(doubt.attention?.find((a) => !a.resolvedAt)?.key).toBe('payment:1');
    await journey.until(() => journey.kaspiRequests().length === 1, 'billed once');
    const recorded = await system.db.prisma.order.findUniqueOrThrow({ where: { trackingId: journey.trackingId } });
    expect(recorded.needsAttention).toBe(true);

    // More time passes: the request is never repeated by itself.
    await journey.skip('10m');
    expect(journey.kaspiRequests()).toHaveLength(1);

    // The operator finds the bill in Kaspi (its message carries `<trackingId>:1`) and settles the doubt.
    const bill = journey.kaspiRequests()[0];
    expect(bill.message).toContain(`${journey.trackingId}:1`);
    await system.client.workflow
      .getHandle(kaspiPaymentWorkflowId(journey.trackingId, 1))
      .signal(settleInDoubtSignal, { externalId: bill.externalId });
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await journey.pay(bill.externalId);
    const paid = await journey.until(statusIs('paid'), 'paid');
    expect(paid.attention?.every((a) => a.resolvedAt)).toBe(true);
    expect(journey.kaspiRequests()).toHaveLength(1);
    await expectInvariants(system, journey);
  });

  test('a Kaspi "unavailable" answer is retried with one bill; a refusal cancels the order without retrying (item 2)', async () => {
    const retried = new Journey(system);
    await fault(system.production.url, { route: '/paymentkaspi/create/', mode: 'unavailable', count: 2 });
    await retried.place();
    await retried.until(statusIs('awaiting_payment'), 'awaiting payment', '5s');
    expect(retried.kaspiRequests()).toHaveLength(1);

    // A number Kaspi refuses (-1501): no retry, no bill, the order cancelled as payment_failed.
    const refused = new Journey(system);
    await refused.place({ customer: { ...refused.request().customer, phone: '+7701' } });
    const cancelled = await refused.until(statusIs('cancelled'), 'cancelled');
    expect(cancelled.cancelReason).toBe('payment_failed');
    expect(refused.kaspiRequests()).toHaveLength(0);
    const row = await system.db.prisma.payment.findFirstOrThrow({
      where: { order: { trackingId: refused.trackingId } },
    });
    expect(row).toMatchObject({ status: 'not_created', lastError: expect.stringMatching(/-1501/) });
  });
});
