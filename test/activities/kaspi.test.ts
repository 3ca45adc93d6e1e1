import got from 'got';
import { createKaspiActivities } from '../../activities/kaspi';
import { createOrderRecordActivities } from '../../activities/order-records';
import { createProductionApi } from '../../activities/production-api';
import { createProductionApiStandin, type ProductionApiStandin } from '../../standins/production-api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { orderInput } from '../support/fake-shop';

const TOKEN = 'test-production-token-0123456789';
let db: TestDatabase;
let standin: ProductionApiStandin;

beforeAll(async () => {
  [db, standin] = await Promise.all([
    createTestDatabase(),
    createProductionApiStandin({ port: 0, host: '127.0.0.1', token: TOKEN }),
  ]);
}, 60_000);
afterAll(async () => {
  await standin?.close();
  await db?.drop();
});

const TOTAL = 1_750_000;

async function newOrder() {
  const input = orderInput();
  const priced = {
    items: [{ productId: 697695, title: 'Эустомы', quantity: 1, priceKopecks: 1_500_000 }],
    deliveryFeeKopecks: 250_000,
    totalKopecks: TOTAL,
  };
  await createOrderRecordActivities({ prisma: db.prisma }).recordOrder({ input, priced });
  return input.trackingId;
}

function kaspi(afterPaymentCreated?: (externalId: string) => Promise<void>) {
  const production = createProductionApi({ baseUrl: standin.apiUrl, token: TOKEN, cityId: 2 });
  return createKaspiActivities({ prisma: db.prisma, production, afterPaymentCreated });
}

test('a payment activity that crashes after the request was made is retried without a second request', async () => {
  const trackingId = await newOrder();
  let crashes = 1;
  const activities = kaspi(async () => {
    if (crashes-- > 0) throw new Error('worker lost after the proxy answered');
  });
  const request = { trackingId, phone: '+77015211545', amountKopecks: TOTAL };
  await expect(activities.requestPayment(request)).rejects.toThrow('worker lost');
  const { externalId } = await activities.requestPayment(request); // Temporal's retry
  const requests = standin.payments().filter((p) => p.message.includes(trackingId));
  expect(requests).toEqual([expect.objectContaining({ externalId, phone: '77015211545', amount: 17_500 })]);
  expect(await db.prisma.payment.findMany({ where: { order: { trackingId } } })).toEqual([
    expect.objectContaining({ attempt: 1, externalId, status: 'pending', amountKopecks: TOTAL }),
  ]);
});

test('a refund happens once, however often it is retried, even after a crash between the refund and its record', async () => {
  const trackingId = await newOrder();
  const activities = kaspi();
  const { externalId } = await activities.requestPayment({ trackingId, phone: '+77015211545', amountKopecks: TOTAL });
  await got.post(`${standin.url}/__control/payments/${externalId}`, { json: { status: 'Processed' } });
  expect(await activities.getPaymentStatus(externalId)).toBe('Processed');

  // The refund went through but the worker died before recording it.
  await createProductionApi({ baseUrl: standin.apiUrl, token: TOKEN, cityId: 2 }).kaspiRefund(externalId, 17_500);
  expect(await activities.refundPayment({ trackingId, externalId, amountKopecks: TOTAL })).toEqual({
    refundedKopecks: TOTAL,
  });
  expect(await activities.refundPayment({ trackingId, externalId, amountKopecks: TOTAL })).toEqual({
    refundedKopecks: 0,
  });

  const payment = standin.payments().find((p) => p.externalId === externalId)!;
  expect(payment.refunds).toHaveLength(1);
  expect(payment.refundedTotal).toBe(17_500);
  expect(await db.prisma.payment.findUnique({ where: { externalId } })).toMatchObject({
    status: 'refunded',
    refundedKopecks: TOTAL,
  });
});

test('a refund the proxy refuses for another reason fails, to be retried and seen by operators', async () => {
  const trackingId = await newOrder();
  const activities = kaspi();
  const { externalId } = await activities.requestPayment({ trackingId, phone: '+77015211545', amountKopecks: TOTAL });
  await got.post(`${standin.url}/__control/faults`, {
    json: { route: '/paymentkaspi/refund/', mode: 'unavailable', count: 1 },
  });
  await got.post(`${standin.url}/__control/payments/${externalId}`, { json: { status: 'Processed' } });
  await expect(activities.refundPayment({ trackingId, externalId, amountKopecks: TOTAL })).rejects.toThrow();
  expect(await db.prisma.payment.findUnique({ where: { externalId } })).toMatchObject({ refundedKopecks: 0 });
  expect(await activities.refundPayment({ trackingId, externalId, amountKopecks: TOTAL })).toEqual({
    refundedKopecks: TOTAL,
  });
});
