import { Prisma } from '../../db/client';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const uniqueViolation = { code: 'P2002' };

async function newOrder(trackingId: string) {
  return db.prisma.order.create({
    data: {
      trackingId,
      workflowId: `order-${trackingId}`,
      customerPhone: '+77010000000',
      status: 'new',
      totalKopecks: 1_500_000,
      deliveryType: 'delivery',
      deliveryDate: '2026-03-08',
      slot: '10:00-12:00',
    },
  });
}

describe('records', () => {
  it('stores a product with photos and reads it back in photo order', async () => {
    await db.prisma.product.create({
      data: {
        externalId: 101,
        title: '25 roses',
        priceKopecks: 2_500_000,
        type: 'bouquet',
        photos: {
          create: [
            { position: 1, sourceUrl: 'http://127.0.0.1:4010/p/101-b.jpg' },
            { position: 0, sourceUrl: 'http://127.0.0.1:4010/p/101-a.jpg', contentHash: 'abc' },
          ],
        },
      },
    });
    const product = await db.prisma.product.findUniqueOrThrow({
      where: { externalId: 101 },
      include: { photos: { orderBy: { position: 'asc' } } },
    });
    expect(product).toMatchObject({ title: '25 roses', available: true, discountPct: 0 });
    expect(product.photos.map((p) => [p.position, p.contentHash])).toEqual([
      [0, 'abc'],
      [1, null],
    ]);
    await expect(
      db.prisma.productPhoto.create({ data: { productId: product.id, position: 0, sourceUrl: 'http://x/dup.jpg' } }),
    ).rejects.toMatchObject(uniqueViolation);
  });

  it('stores a customer and an order with items, history and payments', async () => {
    const customer = await db.prisma.customer.create({
      data: { telegramUserId: 9_007_199_254_740_993n, telegramChatId: 42n, phone: '+77010000000', name: 'Aigerim' },
    });
    const at = new Date('2026-03-07T10:00:00.123Z');
    await db.prisma.order.create({
      data: {
        trackingId: 'T-1001',
        workflowId: 'order-T-1001',
        idempotencyKey: 'idem-1',
        customer: { connect: { id: customer.id } },
        customerPhone: customer.phone!,
        status: 'paid',
        totalKopecks: 2_700_000,
        deliveryFeeKopecks: 200_000,
        deliveryType: 'delivery',
        address: 'Almaty, Abaya 1',
        deliveryDate: '2026-03-08',
        slot: '10:00-12:00',
        cardText: 'С 8 марта!',
        items: { create: [{ productExternalId: 101, title: '25 roses', quantity: 1, priceKopecks: 2_500_000 }] },
        history: {
          create: [
            { status: 'new', at },
            { status: 'paid', at: new Date(at.getTime() + 60_000) },
          ],
        },
        payments: { create: [{ attempt: 1, externalId: 'kaspi-1', amountKopecks: 2_700_000, status: 'paid' }] },
      },
    });

    const order = await db.prisma.order.findUniqueOrThrow({
      where: { trackingId: 'T-1001' },
      include: { customer: true, items: true, history: { orderBy: { at: 'asc' } }, payments: true },
    });
    expect(order.customer?.telegramUserId).toBe(9_007_199_254_740_993n);
    expect(order.customer?.language).toBe('ru');
    expect(order.cardText).toBe('С 8 марта!');
    expect(order.items).toEqual([expect.objectContaining({ productExternalId: 101, quantity: 1 })]);
    expect(order.history.map((h) => h.status)).toEqual(['new', 'paid']);
    expect(order.history[0].at).toEqual(at);
    expect(order.payments).toEqual([expect.objectContaining({ attempt: 1, refundedKopecks: 0n, status: 'paid' })]);
    expect(order.totalKopecks).toBe(2_700_000n); // 64-bit money
    expect(await db.prisma.customer.findUnique({ where: { telegramUserId: 9_007_199_254_740_993n } })).not.toBeNull();

    // Deleting an order takes its items, history and payments with it.
    await db.prisma.order.delete({ where: { id: order.id } });
    expect(await db.prisma.orderItem.count({ where: { orderId: order.id } })).toBe(0);
    expect(await db.prisma.payment.count({ where: { orderId: order.id } })).toBe(0);
  });

  it('records each order status at most once', async () => {
    const order = await newOrder('T-2001');
    const at = new Date();
    await db.prisma.orderStatusChange.create({ data: { orderId: order.id, status: 'paid', at } });
    await expect(
      db.prisma.orderStatusChange.create({ data: { orderId: order.id, status: 'paid', at } }),
    ).rejects.toMatchObject(uniqueViolation);
    // The usual idempotent write: createMany skipping duplicates.
    const { count } = await db.prisma.orderStatusChange.createMany({
      data: [
        { orderId: order.id, status: 'paid', at },
        { orderId: order.id, status: 'accepted', at },
      ],
      skipDuplicates: true,
    });
    expect(count).toBe(1);
  });

  it('dedupes webhook events by (source, eventKey)', async () => {
    const payload = { orderId: 7, status: 'paid' } satisfies Prisma.InputJsonValue;
    await db.prisma.webhookEvent.create({ data: { source: 'kaspi', eventKey: 'evt-1', payload } });
    await expect(
      db.prisma.webhookEvent.create({ data: { source: 'kaspi', eventKey: 'evt-1', payload } }),
    ).rejects.toMatchObject(uniqueViolation);
    // Same key from another source is a different event.
    await db.prisma.webhookEvent.create({ data: { source: 'crm', eventKey: 'evt-1', payload } });
    const stored = await db.prisma.webhookEvent.findUniqueOrThrow({
      where: { source_eventKey: { source: 'kaspi', eventKey: 'evt-1' } },
    });
    expect(stored.payload).toEqual(payload);
    expect(stored.appliedAt).toBeNull();
  });

  it('keeps trackingId, workflowId and idempotencyKey unique', async () => {
    await newOrder('T-3001');
    await expect(newOrder('T-3001')).rejects.toMatchObject(uniqueViolation);
  });
});
