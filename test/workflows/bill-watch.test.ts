import { kaspiPaymentWorkflowId } from '../../common/contract';
import { expectInvariants, Journey } from '../support/journey';
import { statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

let system: TestSystem;
// SLOW_PACE: a bill is looked at every 10 minutes; three hours to pay leave room for several looks.
const current = useOrderSystem({ paymentDeadlineMs: 3 * 3_600_000 });
beforeAll(() => {
  system = current();
});

/** The bill's workflow as the Web UI shows it: its pending look and what its history holds. */
async function billWatch(journey: Journey) {
  const handle = system.client.workflow.getHandle(kaspiPaymentWorkflowId(journey.trackingId, 1));
  const { raw } = await handle.describe();
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = (name: string) =>
    events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name).length;
  // A local activity (patch 'bill-local-calls') is a marker naming its type.
  const ranLocally = (name: string) =>
    events.filter(
      (e) =>
        e.markerRecordedEventAttributes?.markerName === 'core_local_activity' &&
        Buffer.from(e.markerRecordedEventAttributes.details!.data.payloads![0].data!)
          .toString()
          .includes(`"activity_type":"${name}"`),
    ).length;
  return {
    look: raw.pendingActivities?.find((a) => a.activityType?.name === 'awaitBillSettled'),
    looksScheduled: scheduled('awaitBillSettled'),
    reads: scheduled('getPaymentStatus') + ranLocally('getPaymentStatus'),
    timers: events.filter((e) => e.timerStartedEventAttributes).length,
    events: events.length,
  };
}

describe('a bill nobody calls back about is watched by the server at the watch pace (issue 13, open orders)', () => {
  test('each look is a retry of one activity: the workflow sleeps, its history does not grow, the money is found', async () => {
    const journey = new Journey(system);
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');

    await system.env.sleep('15m'); // one quiet interval (a timer), then the server's looks begin
    const first = await billWatch(journey);
    expect(first.look).toBeDefined();
    await system.env.sleep('30m'); // three more looks
    const later = await billWatch(journey);
    expect(later.look!.attempt).toBeGreaterThanOrEqual(Number(first.look!.attempt) + 2);
    expect(later.look!.lastFailure!.message).toMatch(/looked at again at the watch's pace/);
    expect(later).toMatchObject({ looksScheduled: 1, reads: 0, timers: 1, events: first.events });

    await journey.pay(undefined, { callback: false });
    const paid = await journey.until(statusIs('paid'), 'paid', '5m', 10);
    expect(paid.payment).toMatchObject({ status: 'paid', attempt: 1 });
    expect(journey.kaspiRequests()).toHaveLength(1);
    await system.orders.cancel(journey.trackingId, 'проверка');
    await journey.until((v) => v.payment.status === 'refunded', 'refunded', '1m', 20);
    await expectInvariants(system, journey);
  });

  test('a callback during the server paced watch is read at once, not at the next look', async () => {
    const journey = new Journey(system);
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await system.env.sleep('15m');
    expect((await billWatch(journey)).look).toBeDefined();

    await journey.pay(); // with the signed callback
    // One second of server time per look: far less than the 10 minutes to the next look.
    await journey.until(statusIs('paid'), 'paid at once', '1s', 30);
    const watch = await billWatch(journey);
    expect(watch.look).toBeUndefined();
    expect(watch.reads).toBe(1);
  });

  test('money paid in the last minutes of the watch, with no callback, is found by the last look and returned', async () => {
    const journey = new Journey(system);
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await system.orders.cancel(journey.trackingId, 'передумала'); // the bill is withdrawn: watched 3 h, every 30 min
    const bill = system.client.workflow.getHandle(kaspiPaymentWorkflowId(journey.trackingId, 1));
    await system.env.sleep('170m'); // after the server's last look, which falls an interval short of the end
    await journey.pay(undefined, { callback: false });

    expect(await bill.result()).toBe('refunded');
    expect(journey.kaspiRequests()[0].refundedTotal).toBe(journey.kaspiRequests()[0].amount);
    await expectInvariants(system, journey);
  });
});
