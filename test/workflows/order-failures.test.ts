import got from 'got';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { orderWorkflowId } from '../../common/contract';
import { expectInvariants, fault, Journey } from '../support/journey';
import { statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

let system: TestSystem;
const current = useOrderSystem();
beforeAll(() => {
  system = current();
});

describe('failures that show, 64-bit money, messages once (issue 9, items 6–8)', () => {
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
