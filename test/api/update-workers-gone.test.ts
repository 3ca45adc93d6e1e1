import { ApplicationFailure } from '@temporalio/common';
import { orderWorkflowId } from '../../common/contract';
import { STATUS_QUERY_TIMEOUT_MS } from '../../orders/status-fallback';
import type { OrderRequest } from '../../common/order';
import { OrderNotConfirmedError, PLACE_TIMEOUT_MS, UPDATE_TIMEOUT_MS } from '../../orders/update-deadline';
import { shopDate } from '../support/dates';
import { startSystem, type TestSystem } from '../support/system';
import { client, freshPhone, json, orderBody, seedReadModel, TEST_API_SETTINGS, trusted, until } from './support';
import type { ErrorBody } from './support';

/**
 * A cancel or a new order sent while every worker is gone: the API answers 503 order_busy within its deadlines
 * instead of hanging; once workers are back, the cancel's retry cancels the order and the order placed goes ahead,
 * each exactly once.
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ api: TEST_API_SETTINGS });
  await seedReadModel(system);
}, 120_000);
afterAll(() => system?.stop());

const CHAT = 880088;
type View = { trackingId: string; status: string; cancelReason?: string };

test('cancel with no worker is 503 order_busy + Retry-After in time; the retry after workers return cancels once', async () => {
  const api = client(system.apiUrl, trusted);
  const customer = { phone: freshPhone(), name: 'Айгуль', telegramUserId: CHAT, telegramChatId: CHAT };
  const placed = await api.post('api/v1/orders', { json: orderBody(system, { customer }) });
  expect(placed.statusCode).toBe(201);
  const { trackingId } = json<{ trackingId: string }>(placed);
  const crmOrder = () => system.production.orders().find((o) => o.railwayOrderId === trackingId);
  await until(
    async () => crmOrder(),
    (o) => o !== undefined,
  );
  await until(
    () => system.db.prisma.order.findUnique({ where: { trackingId } }),
    (row) => row?.status === 'awaiting_payment' && row.crmOrderId !== null,
  );

  await system.stopWorkers();
  // Twice while nobody works: each answers in time; the server holds one update (same id), not two.
  for (let i = 0; i < 2; i++) {
    const started = Date.now();
    const busy = await api.post(`api/v1/orders/${trackingId}/cancel`, { json: { reason: 'передумала' } });
    const ms = Date.now() - started;
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toMatch(/^\d+$/);
    expect(json<ErrorBody>(busy).error).toMatchObject({ code: 'order_busy', message: expect.stringMatching(/again/) });
    // The view comes from the records (no worker answers its query), then the update's own deadline.
    expect(ms).toBeGreaterThanOrEqual(UPDATE_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(STATUS_QUERY_TIMEOUT_MS + UPDATE_TIMEOUT_MS + 3_000);
  }
  const held = await system.client.workflow.getHandle(orderWorkflowId(trackingId)).describe();
  expect(held.status.name).toBe('RUNNING');
  expect(crmOrder()!.status).not.toBe('UN');

  await system.startWorkers();
  // 503 did not mean "not done": the server held the cancel and the new worker applies it, with no retry.
  await until(
    async () => crmOrder()!.status,
    (status) => status === 'UN',
    40_000,
  );
  const retried = await api.post(`api/v1/orders/${trackingId}/cancel`, { json: { reason: 'передумала' } });
  expect(retried.statusCode).toBe(200);
  expect(json<View>(retried)).toMatchObject({ trackingId, status: 'cancelled', cancelReason: 'customer' });

  // Once: one accepted cancel in the history, one CRM cancel, one message to the customer.
  const cancelMessages = () =>
    system.telegram.sent(CHAT).filter((c) => c.ok && JSON.stringify(c.payload).includes('отменён'));
  await until(
    async () => cancelMessages(),
    (sent) => sent.length > 0,
  );
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for a second one, were there any
  const again = await api.post(`api/v1/orders/${trackingId}/cancel`, { json: {} });
  expect(again.statusCode).toBe(200);
  expect(crmOrder()!.history.filter((h) => h.status === 'UN')).toHaveLength(1);
  expect(cancelMessages()).toHaveLength(1);
  const history = await system.client.workflow.getHandle(orderWorkflowId(trackingId)).fetchHistory();
  const accepted = history.events!.flatMap(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest ?? [],
  );
  expect(accepted.filter((r) => r.input?.name === 'cancel').map((r) => r.meta?.updateId)).toEqual(['cancel']);
}, 120_000);

test('placing with no worker is 503 order_busy with the tracking id in time; the order goes ahead once workers return, once', async () => {
  const api = client(system.apiUrl, trusted);
  const customer = { phone: freshPhone(), name: 'Айгуль', telegramUserId: CHAT + 1, telegramChatId: CHAT + 1 };
  const body = orderBody(system, { customer });
  const headers = { 'Idempotency-Key': `no-worker-${process.pid}` };

  await system.stopWorkers();
  const started = Date.now();
  const busy = await api.post('api/v1/orders', { json: body, headers });
  const ms = Date.now() - started;
  expect(busy.statusCode).toBe(503);
  expect(busy.headers['retry-after']).toBeUndefined(); // a retry without the key would be a second order
  const error = json<ErrorBody & { error: { details: { trackingId: string } } }>(busy).error;
  expect(error).toMatchObject({ code: 'order_busy', message: expect.stringMatching(/Idempotency-Key/) });
  const { trackingId } = error.details;
  expect(trackingId).toMatch(/^CV/);
  expect(ms).toBeGreaterThanOrEqual(PLACE_TIMEOUT_MS - 100);
  expect(ms).toBeLessThan(PLACE_TIMEOUT_MS + 5_000);

  await system.startWorkers();
  // Started, not lost: a worker prices it, the CRM gets it and the customer gets the bill, without a retry.
  const bills = () => system.production.payments().filter((p) => p.message.includes(trackingId));
  await until(
    async () => bills(),
    (b) => b.length > 0,
    40_000,
  );
  const retried = await api.post('api/v1/orders', { json: body, headers });
  expect(retried.statusCode).toBe(200); // the same order, not a second one
  expect(json<View>(retried).trackingId).toBe(trackingId);
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for a second bill or CRM order, were there any
  expect(bills()).toHaveLength(1);
  expect(system.production.orders().filter((o) => o.railwayOrderId === trackingId)).toHaveLength(1);
}, 120_000);

test('an order refused after its caller stopped waiting: the retry with the same key hears the refusal, and its place and key are free', async () => {
  const product = system.production.products().find((p) => p.isAvailable)!;
  const request: OrderRequest = {
    customer: { phone: freshPhone(), name: 'Айгуль' },
    recipient: { name: 'Мария', phone: '+77011234567' },
    delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', date: shopDate(1), slot: '16:00-18:00' },
    items: [{ productId: product.id, quantity: 999 }], // above the maximum total: pricing refuses it
    paymentMethod: 'kaspi',
  };
  const key = `refused-late-${process.pid}`;
  const load = async () =>
    (await system.db.prisma.slotLoad.findUnique({ where: { date_slot: { date: shopDate(1), slot: '16:00-18:00' } } }))
      ?.taken ?? 0;
  const before = await load();

  await system.stopWorkers();
  let trackingId: string;
  try {
    const unconfirmed = await system.orders.place(request, key).catch((err: unknown) => err);
    expect(unconfirmed).toBeInstanceOf(OrderNotConfirmedError);
    trackingId = (unconfirmed as OrderNotConfirmedError).trackingId;
    expect(await load()).toBe(before + 1);
  } finally {
    await system.startWorkers();
  }
  const handle = system.client.workflow.getHandle(orderWorkflowId(trackingId));
  await until(
    async () => (await handle.describe()).status.name,
    (status) => status === 'FAILED',
    40_000,
  );

  const retried = await system.orders.place(request, key).catch((err: unknown) => err);
  expect(retried).toBeInstanceOf(ApplicationFailure);
  expect((retried as ApplicationFailure).type).toBe('InvalidOrder');
  expect(await load()).toBe(before);
  expect(await system.db.prisma.idempotencyKey.count({ where: { trackingId } })).toBe(0);
}, 120_000);
