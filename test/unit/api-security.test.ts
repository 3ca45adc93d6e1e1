import { checkInitData, signInitData } from '../../api/access';
import { describeError } from '../../api/errors';
import { checkOrderLimits } from '../../api/order-limits';
import { maskAddress, maskPhone } from '../../api/order-view';
import { isAllowedPhotoUrl } from '../../api/photo-urls';
import { checkSignedCallback, signCallback } from '../../api/secrets';
import { apiSettingsFromConfig } from '../../api/settings';
import { loadConfig } from '../../common/config';
import { Prisma } from '../../db/client';
import { requestHash } from '../../orders/order-client';
import { isTrackingId, newTrackingId } from '../../orders/tracking-id';

const BOT_TOKEN = '123456:TEST-telegram-token-abcdefghijkl';
const now = Date.parse('2026-12-02T10:00:00Z');
const seconds = (ms: number) => String(Math.floor(ms / 1000));

describe('Telegram initData', () => {
  const initData = (authDate: number, user: object = { id: 42, first_name: 'A' }) =>
    signInitData({ auth_date: seconds(authDate), query_id: 'AAH', user: JSON.stringify(user) }, BOT_TOKEN);

  test('a fresh, correctly signed initData proves its user', () => {
    expect(checkInitData(initData(now - 60_000), BOT_TOKEN, 3_600_000, now)).toEqual({ ok: true, userId: 42 });
  });

  test('another bot’s token, an edited field, an old auth_date or no user are refused', () => {
    expect(checkInitData(initData(now), '654321:OTHER-telegram-token-abcdefgh', 3_600_000, now)).toMatchObject({
      ok: false,
      reason: 'wrong signature',
    });
    const edited = initData(now).replace(/%22id%22%3A42/, '%22id%22%3A43');
    expect(checkInitData(edited, BOT_TOKEN, 3_600_000, now)).toMatchObject({ ok: false, reason: 'wrong signature' });
    expect(checkInitData(initData(now - 2 * 3_600_000), BOT_TOKEN, 3_600_000, now)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(checkInitData(initData(now, { first_name: 'A' }), BOT_TOKEN, 3_600_000, now)).toMatchObject({ ok: false });
    expect(checkInitData('user=%7B%7D', BOT_TOKEN, 3_600_000, now)).toMatchObject({ ok: false, reason: 'no hash' });
  });
});

describe('signed Kaspi callbacks', () => {
  const body = Buffer.from('{"externalId":"1","status":"Processed"}');
  const secret = 'test-kaspi-secret-0123456789ab';
  const headers = (timestamp: string) => ({ timestamp, signature: signCallback(body, timestamp, secret) });

  test('the timestamp is part of what is signed, and must be within the window', () => {
    expect(checkSignedCallback(body, headers(seconds(now)), secret, 300_000, now)).toEqual({ ok: true });
    expect(checkSignedCallback(body, headers(seconds(now - 301_000)), secret, 300_000, now).ok).toBe(false);
    expect(checkSignedCallback(body, headers(seconds(now + 301_000)), secret, 300_000, now).ok).toBe(false);
    const moved = { ...headers(seconds(now - 10_000)), timestamp: seconds(now) };
    expect(checkSignedCallback(body, moved, secret, 300_000, now)).toMatchObject({ reason: 'wrong X-Signature' });
    expect(checkSignedCallback(body, { signature: headers(seconds(now)).signature }, secret, 300_000, now).ok).toBe(
      false,
    );
  });
});

describe('what is logged', () => {
  test('a Prisma error is named by class and code, never by its query arguments', () => {
    const known = new Prisma.PrismaClientKnownRequestError(
      'Invalid `prisma.order.create()` invocation:\n{ data: { customerPhone: "+77015211545", address: "Кенесары 40" } }',
      { code: 'P2002', clientVersion: '7.10.0' },
    );
    const validation = new Prisma.PrismaClientValidationError('Argument `where` … { trackingId: "+77015211545" }', {
      clientVersion: '7.10.0',
    });
    for (const err of [known, validation]) {
      const line = describeError(err);
      expect(line).toMatch(/^PrismaClient\w+Error/);
      expect(line).not.toMatch(/7701|Кенесары/);
    }
    expect(describeError(known)).toContain('P2002');
  });

  test('a bot token inside an error (grammY puts the method URL in its errors) is blanked', () => {
    const err = new Error(
      `Network request for 'sendMessage' failed! https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`,
    );
    expect(describeError(err)).not.toContain('TEST-telegram-token');
    expect(describeError(err)).toContain('<bot token>');
  });
});

describe('small rules', () => {
  test('CRM photo URLs: http(s) to an allowed host only', () => {
    const hosts = ['cdn.cvety.kz', '.bitrix24.kz'];
    expect(isAllowedPhotoUrl('https://cdn.cvety.kz/a.jpg', hosts)).toBe(true);
    expect(isAllowedPhotoUrl('http://shop.bitrix24.kz/a.jpg', hosts)).toBe(true);
    expect(isAllowedPhotoUrl('https://bitrix24.kz/a.jpg', hosts)).toBe(true);
    for (const url of [
      'https://cdn.cvety.kz.evil.example/a.jpg',
      'https://evilbitrix24.kz/a.jpg',
      'ftp://cdn.cvety.kz/a.jpg',
      'file:///etc/passwd',
      'https://user:pw@cdn.cvety.kz/a.jpg',
      'not a url',
    ])
      expect([url, isAllowedPhotoUrl(url, hosts)]).toEqual([url, false]);
  });

  test('masking keeps what a courier’s customer needs to recognise, hides the rest', () => {
    expect(maskPhone('+77015211545')).toBe('+7701***1545');
    expect(maskAddress('Астана, ул. Кенесары 40, кв 5')).toBe('Астана, ***');
    expect(maskAddress('Кенесары 40')).toBe('Кен***');
  });

  test('tracking ids are random and well-formed; request hashes ignore key order', () => {
    const ids = new Set(Array.from({ length: 1000 }, newTrackingId));
    expect(ids.size).toBe(1000);
    expect([...ids].every(isTrackingId)).toBe(true);
    const a = { customer: { phone: '+77015211545', name: 'A' }, items: [{ productId: 1, quantity: 1 }] };
    const b = { items: [{ quantity: 1, productId: 1 }], customer: { name: 'A', phone: '+77015211545' } };
    expect(requestHash(a as never)).toBe(requestHash(b as never));
    expect(requestHash(a as never)).not.toBe(requestHash({ ...a, cardText: 'x' } as never));
  });

  test('the settings come from the environment: API keys and photo hosts as lists, with defaults', () => {
    const required = {
      DATABASE_URL: 'postgresql://127.0.0.1:5432/cvety',
      PRODUCTION_API_URL: 'https://api.cvety.kz/api/v2',
      PRODUCTION_API_TOKEN: 'fixture-production-token',
      WEBHOOK_SECRET: 'fixture-webhook-secret',
      KASPI_CALLBACK_SECRET: 'fixture-kaspi-secret-0',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      S3_ACCESS_KEY_ID: 'fixture',
      S3_SECRET_ACCESS_KEY: 'fixture',
      PAYLOAD_KEYS: 'k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
      PHONE_HASH_KEY: 'fixture-phone-hash-key',
    };
    const defaults = apiSettingsFromConfig(loadConfig(required));
    expect(defaults).toMatchObject({
      apiKeys: [],
      crmPhotoHosts: ['api.cvety.kz'],
      rateLimitPerAddress: 300,
      ordersPerPhone: 5,
      maxOrderTotalKopecks: 100_000_000,
      maxOrderItems: 30,
      kaspiCallbackMaxAgeMs: 300_000,
    });
    const keyA = 'a'.repeat(32);
    const keyB = 'b'.repeat(40);
    const set = apiSettingsFromConfig(
      loadConfig({ ...required, API_KEYS: ` ${keyA}, ${keyB} `, CRM_PHOTO_HOSTS: 'cdn.cvety.kz,.bitrix24.kz' }),
    );
    expect(set).toMatchObject({ apiKeys: [keyA, keyB], crmPhotoHosts: ['cdn.cvety.kz', '.bitrix24.kz'] });
    expect(() => loadConfig({ ...required, API_KEYS: 'short' })).toThrow(/API_KEYS is malformed/);
  });
});

describe('dates in the shop’s time zone', () => {
  const settings = { maxOrderItems: 30, maxOrderTotalKopecks: 100_000_000, shopTimeZone: 'Asia/Almaty' };
  const noCatalog = { product: { findMany: async () => [] } } as unknown as Parameters<typeof checkOrderLimits>[2];
  // 19:30 UTC on 1 December is 00:30 on 2 December in Almaty (UTC+5).
  const justAfterMidnight = new Date('2026-12-01T19:30:00Z');
  const order = (date: string, slot = '10:00-12:00') =>
    ({
      customer: { phone: '+77015211545' },
      delivery: { type: 'pickup', date, slot },
      items: [{ productId: 1, quantity: 1 }],
      paymentMethod: 'kaspi',
    }) as Parameters<typeof checkOrderLimits>[0];

  test('“today” is the shop’s today, not the server’s', async () => {
    await expect(checkOrderLimits(order('2026-12-01'), settings, noCatalog, justAfterMidnight)).rejects.toThrow(
      /delivery\.date: 2026-12-01 is in the past \(today is 2026-12-02\)/,
    );
    await expect(checkOrderLimits(order('2026-12-02'), settings, noCatalog, justAfterMidnight)).resolves.toBeTruthy();
    await expect(
      checkOrderLimits(order('2026-12-02', '00:00-00:15'), settings, noCatalog, justAfterMidnight),
    ).rejects.toThrow(/already passed/);
  });

  test('duplicate lines are merged before the bouquets are counted', async () => {
    const twice = {
      ...order('2026-12-03'),
      items: [
        { productId: 1, quantity: 20 },
        { productId: 1, quantity: 20 },
      ],
    };
    await expect(checkOrderLimits(twice, settings, noCatalog, justAfterMidnight)).rejects.toThrow(/40 bouquets/);
    const merged = await checkOrderLimits(
      {
        ...twice,
        items: [
          { productId: 1, quantity: 2 },
          { productId: 2, quantity: 1 },
          { productId: 1, quantity: 3 },
        ],
      },
      settings,
      noCatalog,
      justAfterMidnight,
    );
    expect(merged.items).toEqual([
      { productId: 1, quantity: 5 },
      { productId: 2, quantity: 1 },
    ]);
  });
});
