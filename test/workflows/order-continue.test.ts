import { orderWorkflowId } from '../../common/contract';
import type { OrderView } from '../../common/order';
import { expectInvariants, Journey } from '../support/journey';
import { statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

let system: TestSystem;
// A short history limit: an order waiting for the shop continues as new after a few CRM polls.
const current = useOrderSystem({ continueAsNewAfterEvents: 60 });
beforeAll(() => {
  system = current();
});

describe('a long order continues as new with its whole state (issue 9, item 5)', () => {
  test('paid, continued as new while waiting for the shop, then cancelled: refunded once, the CRM told RF', async () => {
    const journey = new Journey(system);
    await journey.place();
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await journey.pay();
    await journey.until(statusIs('paid'), 'paid');
    const handle = system.client.workflow.getHandle(orderWorkflowId(journey.trackingId));
    const firstRun = (await handle.describe()).runId;
    for (let i = 0; i < 20 && (await handle.describe()).runId === firstRun; i++) await system.env.sleep('30m');
    expect((await handle.describe()).runId).not.toBe(firstRun);

    // The continued run knows the bill it kept: the cancellation returns that money, once.
    const cancelled = await system.orders.cancel(journey.trackingId);
    expect(cancelled).toMatchObject({ status: 'cancelled', payment: { attempt: 1 } });
    const done = (await handle.result()) as OrderView;
    expect(done.payment).toMatchObject({ status: 'refunded', refundedKopecks: done.totalKopecks });
    expect(done.history.map((h) => h.status)).toEqual(['new', 'awaiting_payment', 'paid', 'cancelled']);
    expect(journey.kaspiRequests()[0].refunds).toHaveLength(1);
    expect(journey.crmOrders()[0].history.map((h) => h.status)).toEqual(expect.arrayContaining(['PD', 'RF']));
    await expectInvariants(system, journey);
  }, 300_000);
});
