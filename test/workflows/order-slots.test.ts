import { orderWorkflowId } from '../../common/contract';
import { Journey } from '../support/journey';
import { statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

let system: TestSystem;
const current = useOrderSystem();
beforeAll(() => {
  system = current();
});

const load = (date: string, slot: string) =>
  system.db.prisma.slotLoad.findUnique({ where: { date_slot: { date, slot } } });

describe('a delivery slot place is given back by the status write (issue 15, item 2)', () => {
  test('an order whose payment expires frees its slot once, with the status that records the expiry', async () => {
    const journey = new Journey(system);
    const view = await journey.place();
    const { date, slot } = view.delivery;
    expect((await load(date, slot))?.taken).toBe(1);
    const expired = await journey.until(statusIs('cancelled'), 'expired', '5m', 20);
    expect(expired.cancelReason).toBe('payment_expired');
    await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).result();

    expect((await load(date, slot))?.taken).toBe(0);
    const reservation = await system.db.prisma.slotReservation.findUnique({
      where: { trackingId: journey.trackingId },
    });
    expect(reservation?.releasedAt).toBeInstanceOf(Date);
    const history = await system.db.prisma.orderStatusChange.findFirst({
      where: { order: { trackingId: journey.trackingId }, status: 'cancelled' },
    });
    expect(history?.reason).toBe('payment_expired');
  }, 300_000);

  test('a delivered order keeps its place', async () => {
    const journey = new Journey(system);
    const view = await journey.place({
      delivery: { type: 'pickup', date: journey.request().delivery.date, slot: '10:00-12:00' },
    });
    await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
    await journey.pay();
    await journey.until(statusIs('paid'), 'paid');
    await journey.shop('F');
    await journey.until(statusIs('delivered'), 'delivered');
    expect((await load(view.delivery.date, '10:00-12:00'))?.taken).toBe(1);
  }, 300_000);
});
