import { kaspiPaymentWorkflowId, orderWorkflowId } from '../../common/contract';
import { expectInvariants, fault, Journey } from '../support/journey';
import { statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

let system: TestSystem;
const current = useOrderSystem();
beforeAll(() => {
  system = current();
});

describe('money for closed orders and cancellations (issue 9, items 3–4)', () => {
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
});
