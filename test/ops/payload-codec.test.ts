import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import got from 'got';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCodecRouter } from '../../api/codec-routes';
import { SEARCH_ATTRIBUTES } from '../../common/contract';
import { AesGcmPayloadCodec, parsePayloadKeys } from '../../common/payload-codec';
import { phoneSearchHash } from '../../common/phone-hash';
import { temporalDataConverter } from '../../common/temporal-connection';
import { shopDate } from '../support/dates';
import { startSystem, type TestSystem } from '../support/system';

const KEY_1 = 'k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const KEY_2 = 'k2:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=';
const json = (value: unknown): Payload => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(value)),
});
const text = (payload: Payload) => Buffer.from(payload.data!).toString();

describe('the payload codec', () => {
  it('encrypts with the newest key, names it, and decrypts what any listed key encrypted', async () => {
    const before = new AesGcmPayloadCodec(parsePayloadKeys(KEY_1));
    const rotated = new AesGcmPayloadCodec(parsePayloadKeys(`${KEY_2},${KEY_1}`));
    const [old] = await before.encode([json({ phone: '+77015211545' })]);
    const [fresh] = await rotated.encode([json({ phone: '+77015211545' })]);
    expect(Buffer.from(old.metadata!['encryption-key-id']).toString()).toBe('k1');
    expect(Buffer.from(fresh.metadata!['encryption-key-id']).toString()).toBe('k2');
    expect(Buffer.from(old.data!).includes('77015211545')).toBe(false);
    expect((await rotated.decode([old, fresh])).map(text)).toEqual([
      '{"phone":"+77015211545"}',
      '{"phone":"+77015211545"}',
    ]);
    await expect(before.decode([fresh])).rejects.toThrow('unknown key "k2"');
  });

  it('refuses a tampered payload, and passes unencrypted payloads through', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(KEY_1));
    const [sealed] = await codec.encode([json('x')]);
    const tampered = Buffer.from(sealed.data!);
    tampered[20] ^= 1;
    await expect(codec.decode([{ ...sealed, data: tampered }])).rejects.toThrow();
    expect((await codec.decode([json('plain')])).map(text)).toEqual(['"plain"']);
  });

  it('rejects malformed keys', () => {
    expect(() => parsePayloadKeys('k1:c2hvcnQ=')).toThrow('not 32');
    expect(() => parsePayloadKeys(`${KEY_1},${KEY_1}`)).toThrow('share an id');
    expect(() => parsePayloadKeys('')).toThrow('no key');
  });
});

describe('the codec server', () => {
  const UI = 'http://127.0.0.1:8233';
  const TOKEN = 'operator-token-0123456789';
  const codec = new AesGcmPayloadCodec(parsePayloadKeys(KEY_1));
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express().use('/codec', createCodecRouter({ codec, operatorToken: TOKEN, allowedOrigins: [UI] }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/codec`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const asJson = (payload: Payload) => ({
    metadata: Object.fromEntries(
      Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(payload.data!).toString('base64'),
  });
  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    got.post(`${base}/${path}`, { json: body, headers, throwHttpErrors: false, responseType: 'json' });

  it("decodes in the Web UI's request shape for its origin, with the token in the endpoint's path", async () => {
    const [sealed] = await codec.encode([json({ name: 'Айгуль' })]);
    const res = await post(`${TOKEN}/decode`, { payloads: [asJson(sealed)] }, { origin: UI, 'x-namespace': 'default' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    const [decoded] = (res.body as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    expect(Buffer.from(decoded.data, 'base64').toString()).toBe('{"name":"Айгуль"}');
    expect(Buffer.from(decoded.metadata.encoding, 'base64').toString()).toBe('json/plain');
  });

  it('encodes for the CLI with a bearer token, and round-trips', async () => {
    const plain = asJson(json({ address: 'Астана' }));
    const encoded = await post('encode', { payloads: [plain] }, { authorization: `Bearer ${TOKEN}` });
    expect(encoded.statusCode).toBe(200);
    const decoded = await post('decode', encoded.body as object, { authorization: `Bearer ${TOKEN}` });
    expect((decoded.body as { payloads: unknown[] }).payloads).toEqual([plain]);
  });

  it('refuses a missing or wrong token, another origin, and a body of another shape', async () => {
    expect((await post('decode', { payloads: [] })).statusCode).toBe(401);
    expect((await post('wrong-token-0123456789x/decode', { payloads: [] })).statusCode).toBe(401);
    expect((await post(`${TOKEN}/decode`, { payloads: [] }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post(`${TOKEN}/decode`, { nope: 1 })).statusCode).toBe(400);
  });

  it('answers the browser preflight for the UI origin only', async () => {
    const preflight = (origin: string) =>
      got(`${base}/${TOKEN}/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        throwHttpErrors: false,
      });
    const ok = await preflight(UI);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-methods']).toContain('POST');
    expect((await preflight('https://evil.example')).statusCode).toBe(403);
  });
});

describe('an order as Temporal stores it', () => {
  const PHONE = '+77015211545';
  const customer = { phone: PHONE, name: 'Айгуль' };
  const recipient = { name: 'Мария', phone: '+77011234567' };
  const address = 'Астана, ул. Кенесары 40, кв 5';
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ dataConverter: temporalDataConverter({ PAYLOAD_KEYS: parsePayloadKeys(KEY_1) }) });
  }, 120_000);
  afterAll(() => system?.stop());

  /** The whole history as the server keeps it, read through a client without the codec. */
  async function rawHistory(workflowId: string): Promise<Buffer> {
    const plain = new Client({ connection: system.env.connection });
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    return Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  }

  it('holds no phone, name, address or card text in its payloads once placed, priced, recorded and sent to the CRM', async () => {
    const placed = await got.post(`${system.apiUrl}/api/v1/orders`, {
      json: {
        customer,
        recipient,
        delivery: { type: 'delivery', address, date: shopDate(1), slot: '14:00-16:00' },
        items: [{ productId: system.production.products()[0].id, quantity: 1 }],
        cardText: 'С днём рождения!',
      },
      responseType: 'json',
    });
    const { trackingId, workflowId } = placed.body as { trackingId: string; workflowId: string };
    const deadline = Date.now() + 20_000;
    const reachedOutside = () => system.production.orders().length > 0 && system.production.payments().length > 0;
    while (!reachedOutside() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(reachedOutside()).toBe(true); // priced, recorded, pushed to the CRM, payment requested: activities ran
    const view = await got(`${system.apiUrl}/api/v1/orders/${trackingId}`).json<{
      status: string;
      customer?: unknown;
    }>();
    expect(view.status).toMatch(/new|awaiting_payment/); // the API reads the order back through the codec

    const raw = await rawHistory(workflowId);
    const history = raw.toString('utf8');
    const searchable = SEARCH_ATTRIBUTES as Record<string, string>;
    for (const secret of ['Айгуль', 'Мария', 'Кенесары', 'С днём рождения', '7011234567']) {
      expect(history.includes(secret)).toBe(false);
    }
    // The raw number appears only while the contract still indexes CustomerPhone in the clear (the lead's switch).
    if (!('CustomerPhone' in searchable)) expect(history.includes('7015211545')).toBe(false);
    expect(history).toContain('binary/encrypted');
  }, 60_000);

  it('can be found from the phone through its keyed hash, never the number', () => {
    const hash = phoneSearchHash('phone-hash-key-0123456789', '8 701 521 15 45');
    expect(hash).toBe(phoneSearchHash('phone-hash-key-0123456789', PHONE));
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(hash).not.toBe(phoneSearchHash('another-key-0123456789', PHONE));
  });
});
