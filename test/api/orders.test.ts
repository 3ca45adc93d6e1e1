import got from 'got';
import { signCallback } from '../../api/secrets';
import { parsePriceToKopecks } from '../../common/money';
import { shopDate } from '../support/dates';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';

/** A back-office key: the full view (payment and CRM ids) is for trusted callers only. */
const API_KEY = 'test-api-key-0123456789abcdef0123456789';
let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ api: { apiKeys: [API_KEY] } });
}, 120_000);
afterAll(() => system?.stop());

const api = () =>
  got.extend({ prefixUrl: system.apiUrl, responseType: 'json', throwHttpErrors: false, retry: { limit: 0 } });
/** got types a JSON body as a string; tests know its shape. */
const json = <T>(res: { body: unknown }): T => res.body as T;

let nextPhone = 0;
/** A phone per order: a phone's accepted orders are rate limited (RATE_LIMIT_ORDERS_PER_PHONE). */
const freshPhone = () => `8 701 521 ${String(10 + (nextPhone++ % 90))} 45`;

function orderBody(productId = system.production.products()[0].id, overrides: Record<string, unknown> = {}) {
  return {
    customer: { phone: freshPhone(), name: 'Айгуль' },
    recipient: { name: 'Мария', phone: '+7 701 123 45 67' },
    delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', date: shopDate(1), slot: '14:00-16:00' },
    items: [{ productId, quantity: 2 }],
    cardText: 'С днём рождения!',
    paymentMethod: 'kaspi',
    ...overrides,
  };
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

type View = {
  status: string;
  totalKopecks: number;
  payment: { status: string; externalId?: string };
  crm: { orderId?: number; status?: string };
  history: { status: string }[];
};
const view = async (trackingId: string) =>
  json<View>(await api().get(`api/v1/orders/${trackingId}`, { headers: { Authorization: `Bearer ${API_KEY}` } }));

describe('orders over HTTP, end to end', () => {
  test('an order placed through the API is priced from the catalog, pushed to the CRM once, paid and followed', async () => {
    const product = system.production.products()[0];
    // A price sent by the client is refused by name; the catalog's price is the only one.
    const priced = await api().post('api/v1/orders', {
      json: { ...orderBody(product.id), items: [{ productId: product.id, quantity: 2, priceKopecks: 1 }] },
    });
    expect(priced.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(priced).error.message).toContain('priceKopecks');
    const body = orderBody(product.id);
    const created = await api().post('api/v1/orders', { json: body });
    expect(created.statusCode).toBe(201);
    const { trackingId, workflowId, totalKopecks } = json<{
      trackingId: string;
      workflowId: string;
      totalKopecks: number;
    }>(created);
    expect(workflowId).toBe(`order-${trackingId}`);
    expect(totalKopecks).toBe(parsePriceToKopecks(product.price) * 2 + 250_000);

    const awaiting = await until(
      () => view(trackingId),
      (v) => v.payment.status === 'requested' && !!v.crm.orderId,
    );
    expect(awaiting.status).toBe('awaiting_payment');
    const crmOrders = system.production.orders().filter((o) => o.railwayOrderId === trackingId);
    expect(crmOrders).toHaveLength(1);
    expect(crmOrders[0]).toMatchObject({
      createCalls: 1,
      request: { total_price: totalKopecks, customer_phone: `+7${body.customer.phone.replace(/\D/g, '').slice(1)}` },
    });
    const payments = system.production.payments();
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amount: totalKopecks / 100 });

    await got.post(`${system.production.url}/__control/payments/${awaiting.payment.externalId}`, {
      json: { status: 'Processed' },
    });
    await until(
      () => view(trackingId),
      (v) => v.status === 'paid',
    );
    await until(
      async () => system.production.orders()[0].status,
      (s) => s === 'PD',
    );

    const crmOrderId = awaiting.crm.orderId!;
    await got.post(`${system.production.url}/__control/orders/${crmOrderId}/status`, {
      json: { status: 'CO', assembledImage: `${system.production.url}/static/done.jpg` },
    });
    const assembled = await until(
      () => view(trackingId),
      (v) => v.status === 'assembled',
    );
    expect(assembled.history.map((h) => h.status)).toEqual(['new', 'awaiting_payment', 'paid', 'assembled']);

    // The same webhook again (with its photo) is recorded once and changes nothing.
    const again = await api().post('api/v1/webhooks/order-status-sync', {
      headers: { 'X-Webhook-Secret': FIXTURES.webhookSecret },
      json: {
        order_id: crmOrderId,
        status: 'CO',
        changed_by_id: 42,
        assembledImage: `${system.production.url}/static/done.jpg`,
      },
    });
    expect(again.body).toMatchObject({ outcome: 'duplicate' });
    // The read model follows the workflow shortly after.
    const row = await until(
      () => system.db.prisma.order.findUniqueOrThrow({ where: { trackingId }, include: { history: true } }),
      (r) => r.status === 'assembled',
    );
    expect(row).toMatchObject({ status: 'assembled', crmOrderId, totalKopecks: BigInt(totalKopecks) });
    expect(row.history.map((h) => h.status).sort()).toEqual(['assembled', 'awaiting_payment', 'new', 'paid']);
  });

  test('bad input is refused with a reason naming each field', async () => {
    const res = await api().post('api/v1/orders', {
      json: { customer: { phone: '12' }, delivery: { type: 'boat' }, items: [] },
    });
    expect(res.statusCode).toBe(400);
    const message = json<{ error: { message: string } }>(res).error.message;
    for (const field of ['customer.phone', 'delivery.type', 'delivery.date', 'delivery.slot', 'items'])
      expect(message).toContain(field);
  });

  test('a past date, an unknown and an unavailable product are refused with 4xx', async () => {
    const past = await api().post('api/v1/orders', {
      json: orderBody(undefined, { delivery: { type: 'pickup', date: shopDate(-1), slot: '10:00-12:00' } }),
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toMatchObject({
      error: { code: 'invalid_request', details: { fields: [{ field: 'delivery.date' }] } },
    });

    const unknown = await api().post('api/v1/orders', { json: orderBody(999_999_999) });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toMatchObject({ error: { code: 'product_unknown', details: { productId: 999_999_999 } } });

    const unavailable = system.production.products().find((p) => !p.isAvailable)!;
    const refused = await api().post('api/v1/orders', { json: orderBody(unavailable.id) });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toMatchObject({
      error: { code: 'product_unavailable', details: { productId: unavailable.id } },
    });
  });

  test('the same Idempotency-Key always answers the same order, even when sent at once', async () => {
    const key = `key-${Date.now()}`;
    const body = orderBody();
    const send = () => api().post('api/v1/orders', { json: body, headers: { 'Idempotency-Key': key } });
    const [a, b] = await Promise.all([send(), send()]);
    const first = json<{ trackingId: string }>(a).trackingId;
    await until(
      () => system.db.prisma.order.findUnique({ where: { trackingId: first } }),
      (row) => row !== null,
    );
    const c = await send();
    const ids = [a, b, c].map((r) => json<{ trackingId: string }>(r).trackingId);
    expect(new Set(ids).size).toBe(1);
    expect(c.statusCode).toBe(200); // recorded: answered from the database, no new workflow
    await until(
      async () => system.production.orders().filter((o) => o.railwayOrderId === ids[0]).length,
      (n) => n === 1,
    );
    expect(system.production.orders().filter((o) => o.railwayOrderId === ids[0])).toHaveLength(1);
  });

  test('cancel before payment with the phone as proof is accepted; a repeated cancel answers the same view', async () => {
    const body = orderBody();
    const { trackingId } = json<{ trackingId: string }>(await api().post('api/v1/orders', { json: body }));
    const proof = { phone: body.customer.phone };
    const cancelled = await api().post(`api/v1/orders/${trackingId}/cancel`, {
      json: { reason: 'передумала', ...proof },
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'customer' });
    const again = await api().post(`api/v1/orders/${trackingId}/cancel`, { json: proof });
    expect(again.statusCode).toBe(200); // the same update id: the same answer, nothing done twice
    expect(again.body).toMatchObject({
      status: 'cancelled',
      history: json<{ history: unknown }>(cancelled).history,
    });
    expect((await api().get('api/v1/orders/CV23456789AB')).statusCode).toBe(404);
    expect((await api().get('api/v1/orders/CVNOSUCHORDER')).statusCode).toBe(400);
  });

  test('webhooks check their secrets; a signed Kaspi callback ends the wait early', async () => {
    const noSecret = await api().post('api/v1/webhooks/order-status-sync', { json: { order_id: 1, status: 'AP' } });
    expect(noSecret.statusCode).toBe(401);
    const { trackingId } = json<{ trackingId: string }>(await api().post('api/v1/orders', { json: orderBody() }));
    const { payment } = await until(
      () => view(trackingId),
      (v) => !!v.payment.externalId,
    );
    const body = JSON.stringify({ externalId: payment.externalId, status: 'Processed' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const badSignature = await api().post('api/v1/webhooks/kaspi', {
      body,
      headers: { 'content-type': 'application/json', 'X-Signature': '00', 'X-Timestamp': timestamp },
    });
    expect(badSignature.statusCode).toBe(401);
    const signature = signCallback(body, timestamp, FIXTURES.kaspiSecret);
    // The customer pays; the callback makes the bill's workflow look now instead of at its next poll (15 s).
    await got.post(`${system.production.url}/__control/payments/${payment.externalId}`, {
      json: { status: 'Processed' },
    });
    const calledBackAt = Date.now();
    const ok = await api().post('api/v1/webhooks/kaspi', {
      body,
      headers: { 'content-type': 'application/json', 'X-Signature': signature, 'X-Timestamp': timestamp },
    });
    expect(ok.statusCode).toBe(200);
    // The callback is only a hint: the status is read from Kaspi, at once.
    expect(
      (
        await until(
          () => view(trackingId),
          (v) => v.status === 'paid',
        )
      ).status,
    ).toBe('paid');
    expect(Date.now() - calledBackAt).toBeLessThan(10_000);
  });

  test('GET /health answers ok when Temporal and the database answer', async () => {
    const res = await api().get('health');
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ status: 'ok', temporal: 'ok', database: 'ok' });
  });
});
