import got from 'got';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { OrderView } from '../../common/order';
import { ORDER_STATUSES, kaspiPaymentWorkflowId, orderWorkflowId } from '../../common/contract';
import { settleInDoubtSignal } from '../../workflows/messages';
import { clearFaults, endJourneys, expectInvariants, fault, Journey } from '../support/journey';
import { startSystem, type TestSystem } from '../support/system';

/**
 * The order's journey on the real parts: the time-skipping Temporal server (payment deadlines, a day of CRM
 * outage and days of delivery take no real time), the worker with its real activities, PostgreSQL, and the
 * production API, Kaspi and Telegram stand-ins over HTTP. Bad timing is forced through the stand-ins' fault routes.
 */
let system: TestSystem;
beforeAll(async () => {
  // A 2 s wait for the production API: the `slow` fault then makes an answer that comes too late, i.e. is lost.
  // Money is watched for 3 h after a bill is withdrawn (24 h in production): days of polling cost real time here.
  system = await startSystem({
    temporal: 'time-skipping',
    productionTimeoutMs: 2_000,
    settings: { latePaymentWatchMs: 3 * 3_600_000, timings: SLOW_PACE },
  });
}, 120_000);
afterAll(() => system?.stop());
afterEach(async () => {
  await clearFaults(system);
  await endJourneys(system);
});

/**
 * Every timer fire costs the time-skipping server about two seconds of real time: the tests poll slowly and let the
 * signed Kaspi callback (journey.pay) bring payments in; one test relies on polling alone.
 */
const SLOW_PACE = {
  kaspiFastPollMs: 10 * 60_000,
  kaspiFastWindowMs: 0,
  kaspiSlowPollMs: 10 * 60_000,
  kaspiLatePollMs: 30 * 60_000,
  crmPollMs: 30 * 60_000,
  crmGiveUpMs: 3_600_000,
};
const WHOLE_JOURNEY = ORDER_STATUSES.filter((s) => s !== 'cancelled');
const statusIs = (status: string) => (v: { status: string }) => v.status === status;

describe('an order on the real parts', () => {
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
    await system.env.sleep('10m');
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

  test('money for an expired order is returned exactly once, even after the order and its watch have closed (item 3)', async () => {
    const journey = new Journey(system);
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    const expired = await journey.until(statusIs('cancelled'), 'expired', '5m', 20);
    expect(expired.cancelReason).toBe('payment_expired');
    await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).result();

    // The bill's own workflow watches it for LATE_PAYMENT_WATCH, then ends: `expired`, nothing paid.
    expect(await system.client.workflow.getHandle(kaspiPaymentWorkflowId(journey.trackingId, 1)).result()).toBe(
      'expired',
    );

    // Days later the customer pays the old bill anyway: the callback starts its watch again, the money goes back.
    const externalId = await journey.pay();
    expect(await system.client.workflow.getHandle(kaspiPaymentWorkflowId(journey.trackingId, 1)).result()).toBe(
      'refunded',
    );
    expect(journey.kaspiRequests()[0].refundedTotal).toBe(journey.kaspiRequests()[0].amount);

    // The callback again: settled once more, nothing paid back twice.
    const again = await journey.callback(externalId);
    expect(again.statusCode).toBe(200);
    expect(journey.kaspiRequests()[0].refunds).toHaveLength(1);
    await expectInvariants(system, journey);
  }, 300_000);

  test('cancel takes effect in the update: no bill announced, a later payment and CRM moves are refused (item 4)', async () => {
    const journey = new Journey(system);
    await fault(system.production.url, { route: '/paymentkaspi/create/', mode: 'slow', delayMs: 1_000, count: 1 });
    await journey.place();
    const cancelled = await system.orders.cancel(journey.trackingId, 'передумала');
    expect(cancelled.status).toBe('cancelled');
    const again = await system.orders.cancel(journey.trackingId, 'передумала');
    expect(again.history).toEqual(cancelled.history); // the same answer for the same update id
    await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).result();
    expect(journey.texts().some((t) => /Оплатите/.test(t))).toBe(false);
    expect(journey.texts().filter((t) => /отменён/.test(t))).toHaveLength(1);

    // The bill that went out during the cancel is still payable: paid, it comes back.
    await journey.until(() => journey.kaspiRequests().length === 1, 'billed');
    await journey.pay();
    for (let i = 0; i < 30 && journey.kaspiRequests()[0].refundedTotal === 0; i++) await system.env.sleep('30s');
    expect(journey.kaspiRequests()[0].refundedTotal).toBe(journey.kaspiRequests()[0].amount);
    await expectInvariants(system, journey);
  });

  test('a cancelled paid order is refunded once and the CRM learns RF; a later "delivered" from the CRM changes nothing (item 4)', async () => {
    const journey = new Journey(system);
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await journey.pay();
    await journey.until(statusIs('paid'), 'paid');
    await system.orders.cancel(journey.trackingId);
    await journey.shop('F');
    const done = await journey.until((v) => v.payment.status === 'refunded', 'refunded');
    expect(done.status).toBe('cancelled');
    expect(journey.crmOrders()[0].history.map((h) => h.status)).toEqual(expect.arrayContaining(['PD', 'RF']));
    expect(journey.kaspiRequests()[0].refunds).toHaveLength(1);
    expect((await system.orders.cancel(journey.trackingId)).status).toBe('cancelled'); // a repeat, the same answer
    await expectInvariants(system, journey);
  });

  test('a CRM down past its retry budget (a day; an hour here): the customer hears every step, the order is flagged, the reason readable (item 6)', async () => {
    const journey = new Journey(system);
    await fault(system.production.url, { route: '/orders/create/', mode: 'error500' });
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await journey.pay();
    await journey.until(statusIs('paid'), 'paid');
    expect(journey.texts().some((t) => /Оплата заказа .* получена/.test(t))).toBe(true);
    const flagged = await journey.until(
      (v) => !!v.attention?.some((a) => a.key === 'crm:create' && !a.resolvedAt),
      'flagged',
      '10m',
      20,
    );
    expect(flagged.attention?.[0].reason).toMatch(/gave up|500/);
    const recorded = await system.db.prisma.order.findUniqueOrThrow({ where: { trackingId: journey.trackingId } });
    expect(recorded).toMatchObject({ needsAttention: true, paymentState: 'paid' });
    const described = await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).describe();
    expect(described.searchAttributes.NeedsAttention).toEqual([true]);
  }, 300_000);

  test('a CRM id our database already holds: the write is refused once, flagged, and messages go on (item 6)', async () => {
    const journey = new Journey(system);
    const nextCrmId = Math.max(123_900, ...system.production.orders().map((o) => o.orderId)) + 1;
    const squatter = new Journey(system);
    await squatter.place();
    await squatter.until(statusIs('awaiting_payment'), 'recorded');
    await system.db.prisma.order.update({
      where: { trackingId: squatter.trackingId },
      data: { crmOrderId: nextCrmId + 1 },
    });
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    const flagged = await journey.until((v) => !!v.attention?.some((a) => a.key === 'record:crm'), 'flagged');
    expect(flagged.attention?.find((a) => a.key === 'record:crm')?.reason).toMatch(/P2002/);
    await journey.pay();
    await journey.until(statusIs('paid'), 'paid');
    expect(journey.texts().some((t) => /получена/.test(t))).toBe(true);
  });

  test('an order above the maximum total is refused before anything starts; money columns hold 64 bits (item 7)', async () => {
    const journey = new Journey(system);
    const bills = system.production.payments().length;
    const orders = await system.db.prisma.order.count();
    const err = await journey
      .place({ items: [{ productId: system.production.products()[0].id, quantity: 999 }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'InvalidOrder' });
    expect(system.production.payments()).toHaveLength(bills);
    expect(await system.db.prisma.order.count()).toBe(orders);

    const big = BigInt(25_000_000_00); // 25 million ₸ in tiyn: past a 32-bit column
    const recorded = new Journey(system);
    await recorded.place();
    await recorded.until(statusIs('awaiting_payment'), 'recorded');
    const row = await system.db.prisma.payment.create({
      data: {
        order: { connect: { trackingId: recorded.trackingId } },
        attempt: 9,
        amountKopecks: big,
        status: 'not_created',
      },
    });
    expect(row.amountKopecks).toBe(big);
  });

  test('a message whose answer was lost is not sent again; 429 waits; a blocked bot is final (item 8)', async () => {
    const journey = new Journey(system);
    await fault(system.telegram.url, { route: 'sendMessage', mode: 'error429', retryAfter: 1, count: 2 });
    await journey.place();
    await journey.until(() => journey.messages().length === 1, 'told to pay');
    expect(journey.texts()[0]).toMatch(/Оплатите/);
    // Telegram shows "paid" but its answer is lost: recorded in doubt, flagged, never sent twice.
    await fault(system.telegram.url, { route: 'sendMessage', mode: 'lost', count: 1 });
    await journey.pay();
    const flagged = await journey.until((v) => !!v.attention?.some((a) => a.key === 'notify:paid'), 'flagged');
    expect(flagged.status).toBe('paid');
    await system.env.sleep('10m');
    expect(journey.texts().filter((t) => /получена/.test(t))).toHaveLength(1);
    const rows = await system.db.prisma.notification.findMany({ where: { order: { trackingId: journey.trackingId } } });
    expect(rows.map((r) => `${r.event}:${r.status}`).sort()).toEqual(['awaiting_payment:sent', 'paid:in_doubt']);
    await expectInvariants(system, journey);

    const blocked = new Journey(system);
    await got.post(`${system.telegram.url}/__control/chats/${blocked.chatId}/block`, { json: { notify: false } });
    await blocked.place();
    await blocked.until(statusIs('awaiting_payment'), 'awaiting payment');
    await blocked.pay();
    await blocked.until(statusIs('paid'), 'paid');
    await system.env.sleep('10m');
    const refused = system.telegram.sent(blocked.chatId).filter((c) => c.errorCode === 403);
    expect(refused).toHaveLength(2); // one try per message, no retries
    const blockedRows = await system.db.prisma.notification.findMany({
      where: { order: { trackingId: blocked.trackingId } },
    });
    expect(blockedRows.map((r) => r.status)).toEqual(['blocked', 'blocked']);
    expect((await blocked.view()).attention).toEqual([]); // the customer's choice, not an operator's problem
  }, 300_000);
});
