import got from 'got';
import { ApplicationFailureCategory } from '@temporalio/common';
import { createKaspiActivities } from '../../activities/kaspi';
import { createOrderRecordActivities } from '../../activities/order-records';
import { createProductionApi } from '../../activities/production-api';
import { createProductionApiStandin, type ProductionApiStandin } from '../../standins/production-api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { pickupOrderInput, pickupOrderPriced } from '../support/pickup-order';

/** The Kaspi activities against the Kaspi stand-in over HTTP and a real PostgreSQL; faults through its fault route. */
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
afterEach(() => got.delete(`${standin.url}/__control/faults`));

const TOTAL = 1_750_000;
let orders = 0;

async function newOrder(): Promise<string> {
  const trackingId = `CVKASPI${process.pid}${++orders}`;
  const priced = pickupOrderPriced(TOTAL - 1_500_000);
  await createOrderRecordActivities({ prisma: db.prisma }).recordOrder({ input: pickupOrderInput(trackingId), priced });
  return trackingId;
}

const kaspi = () =>
  createKaspiActivities({
    prisma: db.prisma,
    production: createProductionApi({ baseUrl: standin.apiUrl, token: TOKEN, cityId: 2, timeoutMs: 2_000 }),
  });
const billsOf = (trackingId: string) => standin.payments().filter((p) => p.message.includes(trackingId));
const fault = (json: Record<string, unknown>) => got.post(`${standin.url}/__control/faults`, { json });

test('a bill whose answer was lost is in doubt, and no retry ever sends a second one', async () => {
  const trackingId = await newOrder();
  const request = { trackingId, attempt: 1, phone: '+77015211545', amountKopecks: TOTAL };
  await fault({ route: '/paymentkaspi/create/', mode: 'lost', count: 1 });
  expect(await kaspi().requestKaspiPayment(request)).toMatchObject({ outcome: 'in_doubt' });
  expect(await kaspi().requestKaspiPayment(request)).toMatchObject({ outcome: 'in_doubt' }); // Temporal's retry
  expect(billsOf(trackingId)).toHaveLength(1);
  expect(billsOf(trackingId)[0].message).toContain(`${trackingId}:1`);
  const row = await db.prisma.payment.findFirstOrThrow({ where: { order: { trackingId } } });
  expect(row).toMatchObject({ status: 'in_doubt', externalId: null, requestKey: `${trackingId}:1` });

  // The operator found the bill: settled, a retry now answers it without asking Kaspi again.
  await kaspi().settlePaymentInDoubt({ trackingId, attempt: 1, externalId: billsOf(trackingId)[0].externalId });
  expect(await kaspi().requestKaspiPayment(request)).toEqual({
    outcome: 'requested',
    externalId: billsOf(trackingId)[0].externalId,
  });
  expect(billsOf(trackingId)).toHaveLength(1);
});

test('a refusal is final, "unavailable" is retried with one bill, a second attempt is a new bill', async () => {
  const trackingId = await newOrder();
  const refused = await kaspi().requestKaspiPayment({ trackingId, attempt: 1, phone: '+7701', amountKopecks: TOTAL });
  expect(refused).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/-1501/) });

  await fault({ route: '/paymentkaspi/create/', mode: 'unavailable', count: 1 });
  const request = { trackingId, attempt: 2, phone: '+77015211545', amountKopecks: TOTAL };
  await expect(kaspi().requestKaspiPayment(request)).rejects.toMatchObject({ type: 'ProductionApiUnavailable' });
  const { externalId } = (await kaspi().requestKaspiPayment(request)) as { externalId: string };
  expect(billsOf(trackingId)).toEqual([expect.objectContaining({ externalId, phone: '77015211545', amount: 17_500 })]);
  expect(await db.prisma.payment.findMany({ where: { order: { trackingId } }, orderBy: { attempt: 'asc' } })).toEqual([
    expect.objectContaining({ attempt: 1, status: 'not_created' }),
    expect.objectContaining({ attempt: 2, externalId, status: 'pending', amountKopecks: BigInt(TOTAL) }),
  ]);
});

test('a bill whose row cannot be written is still answered: the workflow keeps its id', async () => {
  const trackingId = await newOrder();
  const other = await newOrder();
  const nextId = String(Math.max(12800627773, ...standin.payments().map((p) => Number(p.externalId))) + 1);
  // Our database already holds that id (a stand-in that forgot its counters did this once).
  await db.prisma.payment.create({
    data: {
      order: { connect: { trackingId: other } },
      attempt: 1,
      externalId: nextId,
      amountKopecks: 1n,
      status: 'pending',
    },
  });
  const result = await kaspi().requestKaspiPayment({
    trackingId,
    attempt: 1,
    phone: '+77015211545',
    amountKopecks: TOTAL,
  });
  expect(result).toMatchObject({ outcome: 'requested', externalId: nextId, recordError: expect.any(String) });
  expect(billsOf(trackingId)).toHaveLength(1);
});

test('a refund whose answer was lost is not made twice; kept money is never returned as unclaimed', async () => {
  const trackingId = await newOrder();
  const activities = kaspi();
  const { externalId } = (await activities.requestKaspiPayment({
    trackingId,
    attempt: 1,
    phone: '+77015211545',
    amountKopecks: TOTAL,
  })) as { externalId: string };
  // A server-paced look at a waiting bill fails as BENIGN (debug log, no failure metric) and writes nothing.
  await expect(activities.awaitBillSettled(externalId)).rejects.toMatchObject({
    type: 'BillStillWaiting',
    category: ApplicationFailureCategory.BENIGN,
  });
  expect(await db.prisma.payment.findUnique({ where: { externalId } })).toMatchObject({ status: 'pending' });
  await got.post(`${standin.url}/__control/payments/${externalId}`, { json: { status: 'Processed' } });
  expect(await activities.awaitBillSettled(externalId)).toBe('paid');
  expect(await db.prisma.payment.findUnique({ where: { externalId } })).toMatchObject({ status: 'processed' });
  expect(await activities.getPaymentStatus(externalId)).toBe('Processed');

  await activities.markPaymentKept({ externalId });
  expect(await activities.refundUnclaimed({ trackingId, externalId, amountKopecks: TOTAL })).toEqual({
    refundedKopecks: 0,
  });

  await fault({ route: '/paymentkaspi/refund/', mode: 'lost', count: 1 });
  await expect(activities.refundPayment({ trackingId, externalId, amountKopecks: TOTAL })).rejects.toMatchObject({
    type: 'RefundFailed',
  });
  expect(await activities.refundPayment({ trackingId, externalId, amountKopecks: TOTAL })).toEqual({
    refundedKopecks: TOTAL,
  });
  expect(await activities.refundPayment({ trackingId, externalId, amountKopecks: TOTAL })).toEqual({
    refundedKopecks: 0,
  });
  const bill = standin.payments().find((p) => p.externalId === externalId)!;
  expect(bill.refunds).toHaveLength(1);
  expect(bill.refundedTotal).toBe(17_500);
});

// Found by `npm run chaos` (worker kills): the bill's "kept" record, retried after a SIGKILL, landed after the
// cancelled order's refund and left a returned payment's row saying `kept`.
test('a late "kept" record never relabels money already returned', async () => {
  const trackingId = await newOrder();
  const activities = kaspi();
  const request = { trackingId, attempt: 1, phone: '+77015211545', amountKopecks: TOTAL };
  const { externalId } = (await activities.requestKaspiPayment(request)) as { externalId: string };
  await got.post(`${standin.url}/__control/payments/${externalId}`, { json: { status: 'Processed' } });
  await activities.refundPayment({ trackingId, externalId, amountKopecks: TOTAL });
  await activities.markPaymentKept({ externalId });
  const row = await db.prisma.payment.findUniqueOrThrow({ where: { externalId } });
  expect(row).toMatchObject({ status: 'refunded', refundedKopecks: BigInt(TOTAL) });
});
