import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { signInitData } from '../../api/access';
import { signCallback } from '../../api/secrets';
import { isTrackingId } from '../../orders/tracking-id';
import type { PhotoSearch } from '../../search/photo-search-port';
import { shopDate } from '../support/dates';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';
import {
  API_KEY,
  client,
  freshPhone,
  json,
  orderBody,
  seedReadModel,
  startApi,
  TEST_API_SETTINGS,
  trusted,
  until,
  type ErrorBody,
} from './support';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ api: TEST_API_SETTINGS });
  await seedReadModel(system);
}, 120_000);
afterAll(() => system?.stop());

const api = (headers: Record<string, string> = {}) => client(system.apiUrl, headers);
const telegramUser = (id: number, authDate = Math.floor(Date.now() / 1000)) => ({
  Authorization: `tma ${signInitData({ auth_date: String(authDate), user: JSON.stringify({ id, first_name: 'A' }) }, FIXTURES.telegramToken)}`,
});
const errorOf = (res: { body: unknown }) => json<ErrorBody>(res).error;
type Summary = { trackingId: string; status: string };
type FullView = {
  customer: { phone: string; name?: string };
  delivery: { address?: string };
  payment: { status: string; externalId?: string };
  crm: { orderId?: number };
  items: { productId: number; quantity: number }[];
  masked?: boolean;
};
const fullView = async (trackingId: string) => json<FullView>(await api(trusted).get(`api/v1/orders/${trackingId}`));
const starts = () => jest.spyOn(system.client.workflow, 'executeUpdateWithStart');
afterEach(() => jest.restoreAllMocks());

async function placedOrder(headers: Record<string, string> = trusted, overrides: Record<string, unknown> = {}) {
  const res = await api(headers).post('api/v1/orders', { json: orderBody(system, overrides) });
  expect(res.statusCode).toBe(201);
  return json<Summary>(res).trackingId;
}

describe('1. who may do what', () => {
  test('a stranger cannot attach a Telegram identity; an API key or that user’s own initData can', async () => {
    const victim = 424242;
    const spy = starts();
    const anonymous = await api().post('api/v1/orders', {
      json: orderBody(system, { customer: { phone: freshPhone(), telegramUserId: victim, telegramChatId: victim } }),
    });
    expect(anonymous.statusCode).toBe(403);
    expect(errorOf(anonymous).message).toMatch(/telegramUserId/);
    // Someone else's initData does not lend its identity either.
    const other = await api(telegramUser(777)).post('api/v1/orders', {
      json: orderBody(system, { customer: { phone: freshPhone(), telegramUserId: victim } }),
    });
    expect(other.statusCode).toBe(403);
    expect(spy).not.toHaveBeenCalled();
    expect(await system.db.prisma.customer.findUnique({ where: { telegramUserId: BigInt(victim) } })).toBeNull();

    const own = await api(telegramUser(victim)).post('api/v1/orders', { json: orderBody(system) });
    expect(own.statusCode).toBe(201);
    const viaKey = await api(trusted).post('api/v1/orders', {
      json: orderBody(system, { customer: { phone: freshPhone(), telegramUserId: 515151, telegramChatId: 515151 } }),
    });
    expect(viaKey.statusCode).toBe(201);
    const customer = await until(
      () => system.db.prisma.customer.findUnique({ where: { telegramUserId: BigInt(victim) } }),
      (row) => row !== null,
    );
    expect(customer).toMatchObject({ telegramChatId: BigInt(victim) });
  });

  test('wrong credentials are refused with 401, never taken for none', async () => {
    const body = { json: orderBody(system) };
    for (const headers of [
      { Authorization: 'Bearer not-the-key-0123456789abcdef0123456789' },
      { Authorization: `Bearer ${API_KEY}x` },
      { Authorization: 'Basic dXNlcjpwYXNz' },
      // One hex digit of the signature changed (replacing it with "0" left it valid whenever it was "0" already).
      {
        Authorization: telegramUser(777).Authorization.replace(
          /hash=([0-9a-f])/,
          (_, d) => `hash=${d === '0' ? '1' : '0'}`,
        ),
      },
      telegramUser(777, Math.floor(Date.now() / 1000) - 2 * 3600), // older than the freshness window
    ]) {
      const res = await api(headers).post('api/v1/orders', body);
      expect(res.statusCode).toBe(401);
      expect(errorOf(res).code).toBe('unauthorized');
    }
    expect((await api({ Authorization: 'Bearer wrong' }).get('api/v1/products?limit=1')).statusCode).toBe(401);
  });

  test('one order by its tracking id: masked for anyone, full for an API key or its own Telegram user', async () => {
    const owner = 616161;
    const phone = '+77015211545';
    const placed = await api(telegramUser(owner)).post('api/v1/orders', {
      json: orderBody(system, { customer: { phone, name: 'Айгуль' } }),
    });
    const { trackingId } = json<Summary>(placed);
    const masked = json<FullView>(await api().get(`api/v1/orders/${trackingId}`));
    expect(masked).toMatchObject({
      masked: true,
      customer: { phone: '+7701***1545', name: 'А.' },
      delivery: { address: 'Астана, ***' },
      recipient: { name: 'М.', phone: '+7701***4567' },
    });
    expect(JSON.stringify(masked)).not.toMatch(/5211545|Кенесары|Айгуль|externalId|cardText/);
    expect(json<FullView>(await api(telegramUser(owner + 1)).get(`api/v1/orders/${trackingId}`)).masked).toBe(true);
    for (const headers of [trusted, telegramUser(owner)]) {
      const full = json<FullView>(await api(headers).get(`api/v1/orders/${trackingId}`));
      expect(full.masked).toBeUndefined();
      expect(full).toMatchObject({ customer: { phone }, delivery: { address: 'Астана, ул. Кенесары 40, кв 5' } });
    }
  });

  test('cancel needs proof: the customer’s phone, their Telegram initData or an API key', async () => {
    const phone = freshPhone();
    const byPhone = await placedOrder(trusted, { customer: { phone } });
    const path = `api/v1/orders/${byPhone}/cancel`;
    expect((await api().post(path, { json: {} })).statusCode).toBe(403);
    expect((await api(telegramUser(1)).post(path, { json: {} })).statusCode).toBe(403);
    expect((await api().post(path, { json: { phone: '+77000000000' } })).statusCode).toBe(403);
    expect((await api().post(path, { json: { phone: phone.replace('+7', '8') } })).statusCode).toBe(200);

    const byTelegram = await placedOrder(telegramUser(626262));
    expect((await api(telegramUser(626263)).post(`api/v1/orders/${byTelegram}/cancel`, { json: {} })).statusCode).toBe(
      403,
    );
    expect((await api(telegramUser(626262)).post(`api/v1/orders/${byTelegram}/cancel`, { json: {} })).statusCode).toBe(
      200,
    );
    const byKey = await placedOrder();
    expect((await api(trusted).post(`api/v1/orders/${byKey}/cancel`, { json: {} })).statusCode).toBe(200);

    // Guessing the three hidden digits is cut short: 5 wrong proofs per order, then 429.
    const guessed = await placedOrder();
    const codes = [];
    for (let i = 0; i < 6; i++)
      codes.push(
        (await api().post(`api/v1/orders/${guessed}/cancel`, { json: { phone: `+7701000000${i}` } })).statusCode,
      );
    expect(codes).toEqual([403, 403, 403, 403, 403, 429]);
  });
});

describe('2. idempotency as Stripe does it', () => {
  test('a key is its caller’s, bound to its request; a different body is 422; a rejected order frees the key', async () => {
    const key = `idem-${Date.now()}`;
    const body = orderBody(system);
    const send = (json: object, headers: Record<string, string> = {}) =>
      api({ 'Idempotency-Key': key, ...headers }).post('api/v1/orders', { json });
    const first = await send(body);
    expect(first.statusCode).toBe(201);
    const { trackingId } = json<Summary>(first);
    expect(isTrackingId(trackingId)).toBe(true);

    const changed = await send({ ...body, delivery: { ...body.delivery, slot: '16:00-18:00' } });
    expect(changed.statusCode).toBe(422);
    expect(errorOf(changed).code).toBe('idempotency_mismatch');
    const same = await send(body);
    expect([same.statusCode, json<Summary>(same).trackingId]).toEqual([200, trackingId]);

    // The same key from other callers is their own key: other orders, other random ids.
    const otherPhone = await send({ ...body, customer: { ...body.customer, phone: freshPhone() } });
    const otherCaller = await send(body, trusted);
    expect([otherPhone.statusCode, otherCaller.statusCode]).toEqual([201, 201]);
    const ids = new Set([trackingId, json<Summary>(otherPhone).trackingId, json<Summary>(otherCaller).trackingId]);
    expect(ids.size).toBe(3);

    // Once the order's workflow is closed, its key still answers that order and never starts it again.
    await system.client.workflow.getHandle(`order-${trackingId}`).terminate('test: closed');
    const afterClose = await send(body);
    expect([afterClose.statusCode, json<Summary>(afterClose).trackingId]).toEqual([200, trackingId]);

    // A product the catalog does not have: the workflow refuses it, and the key may be used again.
    const rejectedKey = `idem-rejected-${Date.now()}`;
    const retry = (items: object[]) =>
      api({ 'Idempotency-Key': rejectedKey }).post('api/v1/orders', { json: { ...body, items } });
    const rejected = await retry([{ productId: 999_999_999, quantity: 1 }]);
    expect([rejected.statusCode, errorOf(rejected).code]).toEqual([422, 'product_unknown']);
    const reused = await retry(body.items);
    expect(reused.statusCode).toBe(201);
  });
});

describe('3. limits before work', () => {
  test('order size and total, merged lines, real calendar days, unknown fields: refused before any workflow', async () => {
    const priciest = [...system.production.products()]
      .filter((p) => p.isAvailable)
      .sort((a, b) => parseFloat(b.price.replace(/\D/g, '')) - parseFloat(a.price.replace(/\D/g, '')))[0];
    const spy = starts();
    const refused = async (overrides: Record<string, unknown>, status: number, code: string, mention?: RegExp) => {
      const res = await api().post('api/v1/orders', { json: orderBody(system, overrides) });
      expect([res.statusCode, errorOf(res).code]).toEqual([status, code]);
      if (mention) expect(errorOf(res).message).toMatch(mention);
    };
    const lines = (n: number, quantity: number) =>
      Array.from({ length: n }, () => ({ productId: priciest.id, quantity }));
    await refused({ items: lines(20, 99) }, 422, 'order_too_large', /1980 bouquets/);
    await refused({ items: lines(1, 30) }, 422, 'order_too_large', /tenge/);
    await refused({ items: lines(1, 1000) }, 400, 'invalid_request', /items\.0\.quantity/);
    await refused(
      { delivery: { type: 'pickup', date: '2027-02-30', slot: '10:00-12:00' } },
      400,
      'invalid_request',
      /delivery\.date: not a real calendar day/,
    );
    await refused(
      { delivery: { type: 'pickup', date: shopDate(200), slot: '10:00-12:00' } },
      400,
      'invalid_request',
      /days ahead/,
    );
    await refused(
      { delivery: { type: 'pickup', date: shopDate(1), slot: '16:00-14:00' } },
      400,
      'invalid_request',
      /slot/,
    );
    await refused({ customer: { phone: freshPhone(), email: 'a@b.kz' } }, 400, 'invalid_request', /customer.*"email"/);
    await refused({ cardText: 'a\u0000b' }, 400, 'invalid_request', /cardText: control characters/);
    await refused({ items: [{ productId: 2 ** 31, quantity: 1 }] }, 400, 'invalid_request', /productId/);
    await refused({ customer: { phone: freshPhone(), telegramUserId: 1e300 } }, 400, 'invalid_request');
    expect(spy).not.toHaveBeenCalled();

    const merged = await api().post('api/v1/orders', {
      json: orderBody(system, {
        items: [
          { productId: priciest.id, quantity: 1 },
          { productId: priciest.id, quantity: 2 },
        ],
      }),
    });
    expect(merged.statusCode).toBe(201);
    expect((await fullView(json<Summary>(merged).trackingId)).items).toEqual([
      expect.objectContaining({ productId: priciest.id, quantity: 3 }),
    ]);
  });

  test('every number in a path or query is range-checked; a tracking id is checked before Temporal is asked', async () => {
    for (const path of [
      'api/v1/products/99999999999',
      'api/v1/products/0',
      'api/v1/products/-1',
      'api/v1/products/1.5',
      'api/v1/products?limit=1000',
      'api/v1/products?offset=-1',
      'api/v1/products?offset=99999999999',
      'api/v1/products?minPrice=1e99',
      'api/v1/products?limit=1&limit=2',
      'api/v1/products?colour=red',
    ]) {
      const res = await api().get(path);
      expect([path, res.statusCode]).toEqual([path, 400]);
    }
    expect(errorOf(await api().get('api/v1/products?colour=red')).message).toMatch(/colour/);
    const handles = jest.spyOn(system.client.workflow, 'getHandle');
    for (const id of ['CVNOSUCHORDER', 'cv23456789ab', 'CV2345678', '..%2F..%2Fhealth', 'CV23456789AB%00'])
      expect((await api().get(`api/v1/orders/${id}`)).statusCode).toBe(400);
    expect(handles).not.toHaveBeenCalled();
    expect((await api().get('api/v1/orders/CV23456789AB')).statusCode).toBe(404);
  });
});

/** A PNG whose header declares width × height: a few bytes that would decode into a huge bitmap. */
function declaredPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('4. abuse', () => {
  test('rate limits per address (429 with Retry-After), trusted callers exempt, and per phone', async () => {
    const tight = await startApi(system, {
      settings: { ...TEST_API_SETTINGS, rateLimitPerAddress: 8, ordersPerAddress: 3, ordersPerPhone: 2 },
    });
    try {
      const at = (headers: Record<string, string> = {}) => client(tight.url, headers);
      const attempts = [];
      for (let i = 0; i < 4; i++) attempts.push(await at().post('api/v1/orders', { json: { nonsense: i } }));
      expect(attempts.map((r) => r.statusCode)).toEqual([400, 400, 400, 429]);
      expect(Number(attempts[3].headers['retry-after'])).toBeGreaterThan(0);
      const reads = [];
      for (let i = 0; i < 5; i++) reads.push((await at().get('api/v1/products?limit=1')).statusCode);
      expect(reads).toEqual([200, 200, 200, 200, 429]);
      expect((await at(trusted).get('api/v1/products?limit=1')).statusCode).toBe(200);

      const phoneLimited = await startApi(system, { settings: { ordersPerPhone: 2 } });
      try {
        const phone = freshPhone();
        const place = (p: string) =>
          client(phoneLimited.url).post('api/v1/orders', { json: orderBody(system, { customer: { phone: p } }) });
        const codes = [(await place(phone)).statusCode, (await place(phone)).statusCode];
        const third = await place(phone);
        expect([...codes, third.statusCode]).toEqual([201, 201, 429]);
        expect(third.headers['retry-after']).toBeDefined();
        expect((await place(freshPhone())).statusCode).toBe(201);
      } finally {
        await phoneLimited.close();
      }
    } finally {
      await tight.close();
    }
  });

  test('security headers on every answer', async () => {
    for (const path of ['health', 'api/v1/products?limit=1', 'api/v1/products/abc', 'nowhere']) {
      const res = await api().get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['content-security-policy']).toBeDefined();
    }
  });

  test('photo uploads: type and pixel count checked before decoding, concurrent searches bounded', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const searched: number[] = [];
    const photoSearch: PhotoSearch = {
      async search(bytes) {
        searched.push(bytes.length);
        await gate;
        return { exact: [], similar: [], tookMs: 0 };
      },
      index: async () => undefined,
      remove: async () => undefined,
      close: async () => undefined,
    };
    const photos = await startApi(system, {
      photoSearch,
      settings: { photoSearchConcurrency: 1, photoMaxPixels: 4_000_000 },
    });
    try {
      const post = (bytes: Buffer) => {
        const form = new FormData();
        form.append('photo', new Blob([new Uint8Array(bytes)]), 'photo.png');
        return fetch(`${photos.url}/api/v1/products/search-by-photo`, { method: 'POST', body: form });
      };
      const huge = await post(declaredPng(30_000, 30_000));
      expect([huge.status, ((await huge.json()) as ErrorBody).error.code]).toEqual([413, 'photo_too_large']);
      const text = await post(Buffer.from('GIF89a not a photo at all'));
      expect(text.status).toBe(415);
      expect(searched).toEqual([]);

      const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c33' } })
        .jpeg()
        .toBuffer();
      const first = post(jpeg);
      await until(
        async () => searched.length,
        (n) => n === 1,
      );
      const second = await post(jpeg);
      expect([second.status, second.headers.get('retry-after')]).toEqual([429, '1']);
      release();
      expect((await first).status).toBe(200);
      expect((await post(jpeg)).status).toBe(200);
    } finally {
      release();
      await photos.close();
    }
  });
});

async function orderWithCrmId(): Promise<{ trackingId: string; crmOrderId: number; externalId: string }> {
  const trackingId = await placedOrder();
  const view = await until(
    () => fullView(trackingId),
    (v) => !!v.crm.orderId && !!v.payment.externalId,
  );
  return { trackingId, crmOrderId: view.crm.orderId!, externalId: view.payment.externalId! };
}

const crmWebhook = (payload: object) =>
  api({ 'X-Webhook-Secret': FIXTURES.webhookSecret }).post('api/v1/webhooks/order-status-sync', { json: payload });

function kaspiCallback(body: string, timestamp = Math.floor(Date.now() / 1000)) {
  return api({
    'content-type': 'application/json',
    'X-Timestamp': String(timestamp),
    'X-Signature': signCallback(body, String(timestamp), FIXTURES.kaspiSecret),
  }).post('api/v1/webhooks/kaspi', { body });
}

describe('5. nothing leaks', () => {
  test('/health says ok or not, nothing more; CRM photo URLs only to allowed hosts; webhook bodies bounded', async () => {
    expect(json<object>(await api().get('health'))).toEqual({ status: 'ok', temporal: 'ok', database: 'ok' });

    const { crmOrderId } = await orderWithCrmId();
    for (const assembledImage of [
      'file:///etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
      'https://evil.example/photo.jpg',
      'http://user:pw@127.0.0.1/x.jpg',
      'javascript:alert(1)',
    ]) {
      const res = await crmWebhook({ order_id: crmOrderId, status: 'CO', assembledImage });
      expect([assembledImage, res.statusCode]).toEqual([assembledImage, 400]);
    }
    const allowed = await crmWebhook({
      order_id: crmOrderId,
      status: 'AP',
      assembledImage: `${system.production.url}/static/done.jpg`,
    });
    expect(allowed.statusCode).toBe(200);

    const big = await crmWebhook({ order_id: crmOrderId, status: 'AP', notes: 'x'.repeat(20_000) });
    expect([big.statusCode, errorOf(big).code]).toEqual([413, 'too_large']);
    const bigOrder = await api().post('api/v1/orders', {
      json: { ...orderBody(system), cardText: 'x'.repeat(40_000) },
    });
    expect(bigOrder.statusCode).toBe(413);
  });
});

describe('6. concurrent duplicates', () => {
  test('copies of a webhook at the same instant apply once and all answer 200', async () => {
    const { crmOrderId, externalId, trackingId } = await orderWithCrmId();
    const crm = await Promise.all(Array.from({ length: 6 }, () => crmWebhook({ order_id: crmOrderId, status: 'AP' })));
    expect(crm.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(crm.filter((r) => json<{ outcome: string }>(r).outcome === 'applied')).toHaveLength(1);

    const body = JSON.stringify({ externalId, status: 'Processed' });
    const timestamp = Math.floor(Date.now() / 1000);
    const kaspi = await Promise.all(Array.from({ length: 6 }, () => kaspiCallback(body, timestamp)));
    expect(kaspi.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(kaspi.filter((r) => json<{ outcome: string }>(r).outcome === 'applied')).toHaveLength(1);
    expect(await system.db.prisma.webhookEvent.count({ where: { eventKey: `${externalId}:Processed` } })).toBe(1);
    await until(
      () => fullView(trackingId),
      (v) => v.payment.status === 'paid',
    );
  });

  test('a signed Kaspi callback carries a signed timestamp: stale or unsigned ones are refused, a replay applies nothing', async () => {
    const { externalId } = await orderWithCrmId();
    const body = JSON.stringify({ externalId, status: 'Wait' });
    const now = Math.floor(Date.now() / 1000);
    const stale = await kaspiCallback(body, now - 10 * 60);
    expect([stale.statusCode, errorOf(stale).message]).toEqual([401, 'X-Timestamp is outside the accepted window']);
    expect((await kaspiCallback(body, now + 10 * 60)).statusCode).toBe(401);
    const unsignedTime = await api({
      'content-type': 'application/json',
      'X-Timestamp': String(now + 1),
      'X-Signature': signCallback(body, String(now), FIXTURES.kaspiSecret),
    }).post('api/v1/webhooks/kaspi', { body });
    expect(unsignedTime.statusCode).toBe(401);
    const bodyOnly = await api({
      'content-type': 'application/json',
      'X-Signature': signCallback(body, '', FIXTURES.kaspiSecret),
    }).post('api/v1/webhooks/kaspi', { body });
    expect(bodyOnly.statusCode).toBe(401);

    expect(json<{ outcome: string }>(await kaspiCallback(body, now)).outcome).toBe('applied');
    const replay = await kaspiCallback(body, now);
    expect([replay.statusCode, json<{ outcome: string }>(replay).outcome]).toEqual([200, 'duplicate']);
  });
});
