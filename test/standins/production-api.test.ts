import http from 'node:http';
import { AddressInfo } from 'node:net';
import got from 'got';
import sharp from 'sharp';
import { createProductionApiStandin, ProductionApiStandin } from '../../standins/production-api';

const TOKEN = 'test-production-token-0123456789';
const SECRET = 'test-webhook-secret-0123456789';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A tiny stand-in for our API's webhook endpoints: records what arrives, answers `answerWith`. */
async function startReceiver() {
  const received: Received[] = [];
  const receiver = {
    received,
    answerWith: 200,
    url: '',
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw || '{}') });
      res.writeHead(receiver.answerWith, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Body = Record<string, any>;

describe('production API stand-in', () => {
  let standin: ProductionApiStandin;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const api = (path: string) => `${standin.apiUrl}${path}`;
  const get = (path: string, searchParams: Record<string, string | number> = {}) =>
    got<Body>(api(path), {
      searchParams: { access_token: TOKEN, ...searchParams },
      responseType: 'json',
      throwHttpErrors: false,
      retry: 0,
    });
  const post = (path: string, json: Body) =>
    got.post<Body>(api(path), {
      json,
      headers: { authorization: `Bearer ${TOKEN}` },
      responseType: 'json',
      throwHttpErrors: false,
      retry: 0,
    });
  const control = (method: 'get' | 'post' | 'delete', path: string, json?: Body) =>
    got<Body>(`${standin.url}/__control${path}`, {
      method,
      json,
      responseType: 'json',
      throwHttpErrors: false,
      retry: 0,
    });

  const orderBody = (railwayOrderId: string, extra: Body = {}) => ({
    railway_order_id: railwayOrderId,
    customer_phone: '+77015211545',
    pickup: 'N',
    recipient_name: 'Мария',
    recipient_phone: '+77011234567',
    delivery_address: 'Астана, ул. Кенесары 40, кв 5',
    delivery_date: '2026-12-01',
    delivery_time: '14:00-16:00',
    notes: 'С днём рождения!',
    delivery_fee: 250000,
    items: [{ product_id: 697695, quantity: 2, price: 750000, name: 'Эустомы в пачке' }],
    total_price: 1750000,
    ...extra,
  });

  beforeAll(async () => {
    receiver = await startReceiver();
    standin = await createProductionApiStandin({
      port: 0,
      token: TOKEN,
      webhookUrl: `${receiver.url}/api/v1/webhooks/order-status-sync`,
      productWebhookUrl: `${receiver.url}/api/v1/webhooks/product-updated`,
      webhookSecret: SECRET,
    });
  });
  afterAll(async () => {
    await standin.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await control('post', '/reset');
    receiver.received.length = 0;
    receiver.answerWith = 200;
  });

  it('refuses calls without the token and accepts the query or the bearer form', async () => {
    const anonymous = await got<Body>(api('/products/'), { responseType: 'json', throwHttpErrors: false });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body.success).toBe(false);
    const bearer = await got<Body>(api('/products/'), {
      headers: { authorization: `Bearer ${TOKEN}` },
      responseType: 'json',
    });
    expect(bearer.body.success).toBe(true);
    expect(bearer.body.pagination).toMatchObject({ limit: 20, offset: 0, hasMore: true });
  });

  it('pages over the whole catalog until hasMore is false', async () => {
    const seen: Body[] = [];
    let page: Body;
    do {
      page = (await get('/products/', { limit: 25, offset: seen.length })).body;
      expect(page.success).toBe(true);
      seen.push(...page.data);
    } while (page.pagination.hasMore);
    expect(seen.length).toBe(page.pagination.total);
    expect(seen.length).toBeGreaterThanOrEqual(60);
    expect(new Set(seen.map((p) => p.id)).size).toBe(seen.length);

    for (const p of seen) {
      expect(p.price).toMatch(/^\d[\d \u00a0\u202f]*[ \u00a0\u202f]₸$/);
      expect(['vitrina', 'catalog']).toContain(p.type);
      expect(p.images.length).toBeGreaterThanOrEqual(1);
      expect(p.images.length).toBeLessThanOrEqual(3);
      expect(p.image).toBe(p.images[0]);
      expect(p.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0500$/);
    }
    const prices = seen.map((p) => p.price as string);
    expect(prices.some((s) => s.includes('\u00a0'))).toBe(true);
    expect(prices.some((s) => s.includes('\u202f'))).toBe(true);
    expect(prices.some((s) => /^\d{4,} ₸$/.test(s))).toBe(true);
    expect(seen.some((p) => !p.isAvailable)).toBe(true);
    expect(seen.some((p) => p.discount !== '0')).toBe(true);

    const over = await get('/products/', { limit: 500, offset: seen.length - 3 });
    expect(over.body.pagination).toMatchObject({ limit: 100, hasMore: false });
    expect(over.body.data).toHaveLength(3);
  });

  it('filters by type, availability and search, and serves real, distinct JPEG photos', async () => {
    const vitrina = (await get('/products/', { type: 'vitrina', limit: 100 })).body;
    expect(vitrina.data.length).toBeGreaterThan(0);
    expect(vitrina.data.every((p: Body) => p.type === 'vitrina')).toBe(true);
    const unavailable = (await get('/products/', { isAvailable: 'false', limit: 100 })).body;
    expect(unavailable.data.length).toBeGreaterThan(0);
    expect(unavailable.data.every((p: Body) => p.isAvailable === false)).toBe(true);
    const peonies = (await get('/products/', { search: 'пион' })).body;
    expect(peonies.data.length).toBeGreaterThan(0);
    expect(peonies.data.every((p: Body) => /пион/i.test(`${p.title} ${p.composition}`))).toBe(true);

    const detail = await get('/products/detail/', { id: 697695 });
    expect(detail.body).toMatchObject({ success: true, data: { id: 697695, title: 'Эустомы в пачке' } });
    const missing = await get('/products/detail/', { id: 1 });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toEqual({ success: false, error: { code: 'not_found', message: expect.any(String) } });

    const [a, b] = vitrina.data as Body[];
    const photoA = await got(a.image, { responseType: 'buffer' });
    expect(photoA.headers['content-type']).toBe('image/jpeg');
    expect(await sharp(photoA.body).metadata()).toMatchObject({ format: 'jpeg', width: 400, height: 400 });
    const photoB = await got(b.image, { responseType: 'buffer' });
    expect(photoB.body.equals(photoA.body)).toBe(false);
    expect((await got(a.image, { responseType: 'buffer' })).body.equals(photoA.body)).toBe(true);
  });

  it('creates CRM orders, answers in tenge, and treats railway_order_id as the idempotency key', async () => {
    const noRecipient = await post('/orders/create/', orderBody('rw-1', { recipient_name: undefined }));
    expect(noRecipient.statusCode).toBe(400);
    expect(noRecipient.body).toEqual({ status: false, error: 'recipient_name is required for delivery (pickup=N)' });

    const first = await post('/orders/create/', orderBody('rw-1'));
    expect(first.statusCode).toBe(200);
    expect(first.body).toEqual({
      status: true,
      order_id: expect.any(Number),
      account_number: String(first.body.order_id),
      xml_id: 'rw-1',
      price: 17500,
      delivery_price: 2500,
      pickup: 'N',
    });
    const again = await post('/orders/create/', orderBody('rw-1'));
    expect(again.statusCode).toBe(200);
    expect(again.body).toMatchObject({ status: true, order_id: first.body.order_id, duplicate: true });
    const pickup = await post('/orders/create/', orderBody('rw-2', { pickup: 'Y', recipient_name: undefined }));
    expect(pickup.body.order_id).not.toBe(first.body.order_id);

    const orders = (await control('get', '/orders')).body;
    expect(orders).toHaveLength(2);
    expect(orders[0]).toMatchObject({
      orderId: first.body.order_id,
      railwayOrderId: 'rw-1',
      createCalls: 2,
      status: 'N',
    });

    const detail = await get('/orders/detail/', { id: first.body.order_id });
    expect(detail.body).toMatchObject({
      success: true,
      data: {
        id: first.body.order_id,
        number: String(first.body.order_id),
        status_key: 'N',
        paymentAmount: '17 500 ₸',
        recipient: { name: 'Мария', phone: '+77011234567' },
        deliveryAddress: 'Астана, ул. Кенесары 40, кв 5',
        deliveryDate: '2026-12-01',
        deliveryTime: '14:00-16:00',
        items: [{ productId: 697695, quantity: 2, price: 7500 }],
        raw: { statusId: 'N', isPayed: false, assembledImage: null },
      },
    });

    const paid = await post('/order/change-status/', { id: first.body.order_id, status: 'PD' });
    expect(paid.body).toMatchObject({ status: true });
    expect((await get('/orders/detail/', { id: first.body.order_id })).body.data.raw).toMatchObject({
      statusId: 'PD',
      isPayed: true,
    });
    expect((await post('/order/change-status/', { id: first.body.order_id, status: 'XX' })).statusCode).toBe(400);
    expect((await get('/orders/detail/', { id: 999 })).statusCode).toBe(404);
  });

  it('sends the status webhook with the shared secret when a florist changes the status', async () => {
    const { order_id } = (await post('/orders/create/', orderBody('rw-hook'))).body;
    await post('/order/change-status/', { id: order_id, status: 'AP' });
    const photo = `${standin.url}/static/products/697695-1.jpg`;

    const changed = await control('post', `/orders/${order_id}/status`, { status: 'CO', assembledImage: photo });
    expect(changed.statusCode).toBe(200);
    expect(changed.body).toMatchObject({ orderId: order_id, previousStatus: 'AP', status: 'CO' });
    expect(changed.body.webhook).toMatchObject({ sent: true, delivered: true, httpStatus: 200 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].path).toBe('/api/v1/webhooks/order-status-sync');
    expect(receiver.received[0].headers['x-webhook-secret']).toBe(SECRET);
    expect(receiver.received[0].body).toEqual({
      order_id,
      status: 'CO',
      changed_by_id: 42,
      notes: 'Status changed: AP → CO',
      assembledImage: photo, // the florist's photo rides with "assembled" (issue 15)
    });
    expect((await get('/orders/detail/', { id: order_id })).body.data.raw.assembledImage).toBe(photo);

    const lost = await control('post', `/orders/${order_id}/status`, { status: 'DE', webhook: false });
    expect(lost.body.webhook).toEqual({ sent: false, delivered: false });
    expect(receiver.received).toHaveLength(1);
    expect((await control('get', '/orders')).body[0].status).toBe('DE');

    receiver.answerWith = 503;
    const refused = await control('post', `/orders/${order_id}/status`, { status: 'F' });
    expect(refused.body.webhook).toMatchObject({ sent: true, delivered: false, httpStatus: 503 });

    expect((await control('post', '/orders/999/status', { status: 'CO' })).statusCode).toBe(404);
    expect((await control('post', `/orders/${order_id}/status`, { status: 'ZZ' })).statusCode).toBe(400);
  });

  it('runs Kaspi payments through the proxy: create, status, partial refunds, over-refund', async () => {
    const badPhone = await get('/paymentkaspi/create/', { phone: '+77015211545', amount: 17500, message: 'Заказ 1' });
    expect(badPhone.body.status).toBe(false);
    expect(Object.keys(badPhone.body.data.errors)).toHaveLength(1);

    const created = await get('/paymentkaspi/create/', { phone: '77015211545', amount: 17500, message: 'Заказ 123' });
    expect(created.body).toEqual({
      status: true,
      data: { externalId: expect.stringMatching(/^\d+$/), status: 'Wait' },
    });
    const { externalId } = created.body.data;
    expect((await get('/paymentkaspi/status/', { externalId })).body.data.status).toBe('Wait');
    expect((await get('/paymentkaspi/refund/', { externalId, amount: 100 })).body.status).toBe(false);

    expect((await control('post', `/payments/${externalId}`, { status: 'Processed' })).statusCode).toBe(200);
    expect((await get('/paymentkaspi/status/', { externalId })).body).toEqual({
      status: true,
      data: { externalId, status: 'Processed' },
    });

    const partial = await get('/paymentkaspi/refund/', { externalId, amount: 5000 });
    expect(partial.body).toEqual({
      status: true,
      data: { externalId, returnOperationId: expect.any(Number), refundedAmount: 5000 },
    });
    const tooMuch = await get('/paymentkaspi/refund/', { externalId, amount: 13000 });
    expect(tooMuch.body).toEqual({ status: false, data: { errors: { '-99000005': expect.any(String) } } });
    expect((await get('/paymentkaspi/refund/', { externalId, amount: 12500 })).body.data.refundedAmount).toBe(12500);

    const unknown = await get('/paymentkaspi/status/', { externalId: '1' });
    expect(unknown.body).toEqual({ status: false, data: { errors: { '-1601': 'Purchase not found' } } });

    const payment = (await control('get', '/payments')).body[0];
    expect(payment).toMatchObject({ externalId, phone: '77015211545', amount: 17500, message: 'Заказ 123' });
    expect(payment.refunds.map((r: Body) => r.amount)).toEqual([5000, 12500]);
    expect(payment.refundedTotal).toBe(17500);
  });

  it('injects faults by route prefix: down, error500, slow, then clears them', async () => {
    await control('post', '/faults', { route: '/orders/create/', mode: 'down', count: 1 });
    await expect(post('/orders/create/', orderBody('rw-f'))).rejects.toThrow();
    expect((await post('/orders/create/', orderBody('rw-f'))).statusCode).toBe(200);

    await control('post', '/faults', { route: '/products', mode: 'error500' });
    expect((await get('/products/')).statusCode).toBe(500);
    expect((await get('/products/detail/', { id: 697695 })).statusCode).toBe(500);
    expect((await get('/orders/detail/', { id: 1 })).statusCode).toBe(404);
    await control('delete', '/faults');
    expect((await get('/products/')).statusCode).toBe(200);

    await control('post', '/faults', { route: '/paymentkaspi/', mode: 'slow', delayMs: 400, count: 1 });
    const started = Date.now();
    const slow = await get('/paymentkaspi/create/', { phone: '77015211545', amount: 100 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(slow.body.status).toBe(true);

    expect((await control('post', '/faults', { route: '/x', mode: 'sideways' })).statusCode).toBe(400);
  });

  it('edits the catalog through the control route and announces single-product changes', async () => {
    const upserted = await control('post', '/products', {
      upsert: [
        { id: 697695, price: '8 000 ₸', isAvailable: false },
        { id: 900001, title: 'Новый букет' },
      ],
    });
    expect(upserted.body.changed).toEqual([697695, 900001]);
    expect(receiver.received.map((r) => r.body)).toEqual([{ product_id: 697695 }, { product_id: 900001 }]);
    expect(receiver.received[0].headers['x-webhook-secret']).toBe(SECRET);
    expect((await get('/products/detail/', { id: 697695 })).body.data).toMatchObject({
      title: 'Эустомы в пачке',
      price: '8 000 ₸',
      isAvailable: false,
    });
    const added = (await get('/products/detail/', { id: 900001 })).body.data;
    expect(added.images).toHaveLength(1);
    expect((await got(added.image, { responseType: 'buffer' })).body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    await control('post', '/products', { remove: [900001], webhook: false });
    expect((await get('/products/detail/', { id: 900001 })).statusCode).toBe(404);
    await control('post', '/products', { replace: [{ id: 1, title: 'Один', price: '1 000 ₸' }] });
    expect((await get('/products/')).body.pagination.total).toBe(1);
    await control('post', '/reset');
    expect((await get('/products/')).body.pagination.total).toBeGreaterThanOrEqual(60);
  });
});
