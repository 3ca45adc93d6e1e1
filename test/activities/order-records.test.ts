import { createOrderRecordActivities } from '../../activities/order-records';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { pickupOrderInput, pickupOrderPriced } from '../support/pickup-order';

/** The record lane's batch against a real PostgreSQL. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(() => db?.drop());

async function newOrder(trackingId: string) {
  const records = createOrderRecordActivities({ prisma: db.prisma });
  await records.recordOrder({ input: pickupOrderInput(trackingId), priced: pickupOrderPriced(250_000) });
  return records;
}

test('a batch writes its steps in order; a step the database refuses is returned and the others are written', async () => {
  const records = await newOrder(`CVREC${process.pid}1`);
  const squatter = `CVREC${process.pid}2`;
  await newOrder(squatter);
  await db.prisma.order.update({ where: { trackingId: squatter }, data: { crmOrderId: 555_001 } });

  const trackingId = `CVREC${process.pid}1`;
  const at = new Date('2026-12-01T10:00:00Z');
  const steps = [
    { kind: 'crm' as const, crm: { orderId: 555_001, status: 'N' } }, // the squatter's CRM id: refused
    { kind: 'status' as const, status: 'awaiting_payment' as const, at },
    { kind: 'attention' as const, paymentState: 'requested', attention: [] },
  ];
  const { refused } = await records.recordSteps({ trackingId, steps });
  expect(refused).toHaveLength(1);
  expect(refused[0]).toMatchObject({ step: 0, reason: expect.stringMatching(/P2002/) });
  const row = await db.prisma.order.findUniqueOrThrow({ where: { trackingId }, include: { history: true } });
  expect(row).toMatchObject({ status: 'awaiting_payment', paymentState: 'requested', crmOrderId: null });
  expect(row.history.map((c) => c.status)).toContain('awaiting_payment');

  // The same batch again (a retry after a lost answer) adds nothing.
  await records.recordSteps({ trackingId, steps: steps.slice(1) });
  const again = await db.prisma.orderStatusChange.count({
    where: { order: { trackingId }, status: 'awaiting_payment' },
  });
  expect(again).toBe(1);
});

test('a step that fails for a reason a retry may fix (a throwing hook, not a real outage) is thrown after the others are written', async () => {
  const trackingId = `CVREC${process.pid}3`;
  await newOrder(trackingId);
  // A client whose attention write throws once, as a dropped connection would; every other call is the real one.
  const order = new Proxy(db.prisma.order, {
    get: (target, key) =>
      key === 'update'
        ? (args: { data: { paymentState?: string } }) =>
            args.data.paymentState ? Promise.reject(new Error('connection lost')) : target.update(args as never)
        : Reflect.get(target, key),
  });
  const prisma = new Proxy(db.prisma, { get: (target, key) => (key === 'order' ? order : Reflect.get(target, key)) });
  const records = createOrderRecordActivities({ prisma });
  const steps = [
    { kind: 'attention' as const, paymentState: 'requested', attention: [] },
    { kind: 'status' as const, status: 'awaiting_payment' as const, at: new Date('2026-12-01T10:00:00Z') },
  ];
  await expect(records.recordSteps({ trackingId, steps })).rejects.toThrow('connection lost');
  const row = await db.prisma.order.findUniqueOrThrow({ where: { trackingId } });
  expect(row).toMatchObject({ status: 'awaiting_payment', paymentState: expect.not.stringMatching('requested') });
});
