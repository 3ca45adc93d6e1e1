import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import got from 'got';
import { Registry } from 'prom-client';
import sharp from 'sharp';
import { startMetricsServer } from '../../bot/metrics-server';
import { timedPhotoSearch } from '../../bot/photo-search-port';
import { createLogger } from '../../common/logging';
import { photoSearchHistogram } from '../../common/metrics';
import { AesGcmPayloadCodec } from '../../common/payload-codec';
import type { PhotoSearch } from '../../search/photo-search-port';
import {
  API_KEY,
  client,
  json,
  orderBody,
  seedReadModel,
  startApi,
  TEST_API_SETTINGS,
  trusted,
  until,
} from '../api/support';
import { botDeps, runBot, TelegramUser } from '../bot/support';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';

/** Every raw line a logger writes. */
function capture() {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  return { raw, logger: createLogger('api', { destination }) };
}

/** A photo search that answers at once with nothing: the route and its timing are under test, not the search. */
const emptyPhotoSearch: PhotoSearch = {
  search: async () => ({ exact: [], similar: [], tookMs: 0 }),
  index: async () => undefined,
  remove: async () => undefined,
  close: async () => undefined,
};

const OPERATOR_TOKEN = 'operator-token-0123456789abcdef';

let system: TestSystem;
let api: { url: string; close(): Promise<void> };
const logs = capture();
beforeAll(async () => {
  system = await startSystem({ api: TEST_API_SETTINGS });
  await seedReadModel(system);
  api = await startApi(system, {
    logger: logs.logger,
    settings: TEST_API_SETTINGS,
    photoSearch: emptyPhotoSearch,
    codec: {
      codec: new AesGcmPayloadCodec([{ id: 'k1', key: randomBytes(32) }]),
      operatorToken: OPERATOR_TOKEN,
      allowedOrigins: [],
    },
  });
}, 120_000);
afterAll(async () => {
  await api?.close();
  await system?.stop();
});

const http = (headers: Record<string, string> = {}) => client(api.url, headers);
const metricsText = () => got(`${api.url}/metrics`).text();
const crmWebhook = (payload: object, secret = FIXTURES.webhookSecret) =>
  http({ 'X-Webhook-Secret': secret }).post('api/v1/webhooks/order-status-sync', { json: payload });

async function placeOrder(): Promise<{ trackingId: string; body: ReturnType<typeof orderBody> }> {
  const body = orderBody(system);
  const res = await http(trusted).post('api/v1/orders', { json: body });
  expect(res.statusCode).toBe(201);
  return { trackingId: json<{ trackingId: string }>(res).trackingId, body };
}

test('the API writes one JSON line per request (probes only at debug): method, route pattern, status, duration; no bodies, tokens or phones', async () => {
  const { trackingId, body } = await placeOrder();
  expect((await http(trusted).get(`api/v1/orders/${trackingId}`)).statusCode).toBe(200);
  expect((await crmWebhook({ order_id: 1, status: 'CO' }, 'a-wrong-webhook-secret-value')).statusCode).toBe(401);
  expect((await http().get(`nowhere/${body.customer.phone}?token=leaked-query-token`)).statusCode).toBe(404);
  const decode = await http().post(`codec/${OPERATOR_TOKEN}/decode`, { json: { payloads: [] } });
  expect(decode.statusCode).toBe(200);
  await http().get('health'); // a probe: its line only at debug level

  const lines = logs.raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  const requests = lines.filter((line) => line.msg === 'request');
  expect(requests.map(({ method, route, status }) => `${String(method)} ${String(route)} ${String(status)}`)).toEqual([
    'POST /api/v1/orders 201',
    'GET /api/v1/orders/:trackingId 200',
    'POST /api/v1/webhooks/order-status-sync 401',
    'GET (no route) 404',
    'POST /codec/:token/decode 200',
  ]);
  for (const line of requests) {
    expect(line).toMatchObject({ level: 'info', process: 'api' });
    expect(typeof line.durationMs).toBe('number');
    expect(Object.keys(line).sort()).toEqual([
      'durationMs',
      'level',
      'method',
      'msg',
      'pid',
      'process',
      'route',
      'status',
      'time',
    ]);
  }
  const text = logs.raw.join('');
  for (const secret of [
    body.customer.phone,
    body.recipient.phone,
    body.delivery.address,
    body.customer.name,
    trackingId,
    API_KEY,
    OPERATOR_TOKEN,
    'a-wrong-webhook-secret-value',
    'leaked-query-token',
  ]) {
    expect(text).not.toContain(secret);
  }
});

test('webhooks are counted by source and outcome (accepted, duplicate, rejected) on /metrics', async () => {
  const { trackingId } = await placeOrder();
  await until(
    () => system.db.prisma.order.findUnique({ where: { trackingId } }),
    (row) => row !== null,
  );
  // An order the CRM does not know by its id is found by our tracking id; an unknown status changes nothing.
  const event = { order_id: 2_000_000_001, railway_order_id: trackingId, status: 'ZZ' };
  expect(json<{ outcome: string }>(await crmWebhook(event)).outcome).toBe('applied');
  expect(json<{ outcome: string }>(await crmWebhook(event)).outcome).toBe('duplicate');
  expect((await crmWebhook({ order_id: 'not a number', status: 'CO' })).statusCode).toBe(400);

  const text = await metricsText();
  expect(text).toContain('cvety_webhooks_received_total{source="crm_status",outcome="accepted"} 1');
  expect(text).toContain('cvety_webhooks_received_total{source="crm_status",outcome="duplicate"} 1');
  // The wrong secret of the first test and the malformed body of this one.
  expect(text).toContain('cvety_webhooks_received_total{source="crm_status",outcome="rejected"} 2');
  expect(text).toContain('# TYPE cvety_webhooks_received_total counter');
});

test('an answered photo search is timed in cvety_photo_search_duration_seconds{channel="api"}', async () => {
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c33' } })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.append('photo', new Blob([new Uint8Array(jpeg)]), 'photo.jpg');
  const res = await fetch(`${api.url}/api/v1/products/search-by-photo`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  const text = await metricsText();
  expect(text).toContain('# TYPE cvety_photo_search_duration_seconds histogram');
  expect(text).toContain('cvety_photo_search_duration_seconds_count{channel="api"} 1');
  expect(text).toMatch(/cvety_photo_search_duration_seconds_bucket\{le="5",channel="api"\} 1/);
});

test("the polling bot's /metrics times its photo searches", async () => {
  const registry = new Registry();
  const duration = photoSearchHistogram(registry);
  const server = await startMetricsServer(registry, { host: '127.0.0.1', port: 0 });
  const bot = runBot(
    botDeps(system, { searchByPhoto: timedPhotoSearch(async () => ({ exact: [], similar: [] }), duration) }),
  );
  try {
    const image = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#3c3' } })
      .jpeg()
      .toBuffer();
    const stored = await got
      .post(`${system.telegram.url}/__control/files`, { body: image, headers: { 'content-type': 'image/jpeg' } })
      .json<{ file_id: string; file_unique_id: string; file_size: number }>();
    const user = new TelegramUser(system.telegram.url, 7301);
    await user.send(user.message({ photo: [{ ...stored, width: 32, height: 32 }] }));
    await user.expect(/не нашли|нет такого|каталог/i);

    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const text = await got(`${url}/metrics`).text();
    expect(text).toContain('cvety_photo_search_duration_seconds_count{channel="bot"} 1');
    expect((await got(`${url}/other`, { throwHttpErrors: false })).statusCode).toBe(404);
  } finally {
    await bot.stop();
    server.close();
  }
});
