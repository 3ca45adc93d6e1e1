import { orderWorkflowId } from '../../common/contract';
import { requestNewPaymentUpdate } from '../../workflows/messages';
import { expectInvariants, Journey } from '../support/journey';
import { statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

let system: TestSystem;
const current = useOrderSystem();
beforeAll(() => {
  system = current();
});

const OTHER_PHONE = '+77017654321';

test('a repeated "new bill" to the same phone within two minutes sends no third bill; a later one does', async () => {
  const journey = new Journey(system);
  await journey.place();
  await journey.until(statusIs('awaiting_payment'), 'awaiting payment');

  // The customer asks for a bill to another number; the request the server held while no worker ran comes back
  // after it went through, as a retry naming the bill it now sees (another update id).
  await system.orders.requestNewPayment(journey.trackingId, OTHER_PHONE, 1);
  await journey.until((v) => v.payment.attempt === 2 && v.payment.status === 'requested', 'bill 2');
  const repeat = await system.orders.requestNewPayment(journey.trackingId, OTHER_PHONE, 2);
  expect(repeat.payment.attempt).toBe(2);
  expect(journey.kaspiRequests()).toHaveLength(2);

  // Minutes later the bill still has not come: asking again is a new wish (the client's id names the minutes it
  // falls in, by the real clock this test does not move, so the update goes with its own id here).
  await system.env.sleep('3m');
  const later = await system.client.workflow
    .getHandle(orderWorkflowId(journey.trackingId))
    .executeUpdate(requestNewPaymentUpdate, { args: [{ phone: OTHER_PHONE }], updateId: 'new-payment:minutes-later' });
  expect(later.payment.attempt).toBe(3);
  await journey.until((v) => v.payment.status === 'requested', 'bill 3');
  expect(journey.kaspiRequests()).toHaveLength(3);

  await journey.pay();
  await journey.until(statusIs('paid'), 'paid');
  await expectInvariants(system, journey);
}, 300_000);
