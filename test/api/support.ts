import type { AddressInfo } from 'node:net';
import got from 'got';
import { toProductRow } from '../../activities/catalog-mapping';
import { createApp, type AppDeps } from '../../api/app';
import type { ApiSettings } from '../../api/settings';
import { createLogger } from '../../common/logging';
import { shopDate } from '../support/dates';
import { FIXTURES, type TestSystem } from '../support/system';

/** Fixture credentials of the API's tests (fake). */
export const API_KEY = 'test-api-key-0123456789abcdef0123456789';

/**
 * Settings of the main test system: one API key, Telegram proof accepted, and address limits high enough
 * for many tests from one address (the limits themselves are tested on an API of their own).
 */
export const TEST_API_SETTINGS: Partial<ApiSettings> = {
  apiKeys: [API_KEY],
  telegramBotToken: FIXTURES.telegramToken,
  rateLimitPerAddress: 100_000,
  ordersPerAddress: 100_000,
};

export const client = (url: string, headers: Record<string, string> = {}) =>
  got.extend({ prefixUrl: url, responseType: 'json', throwHttpErrors: false, retry: { limit: 0 }, headers });
export const trusted = { Authorization: `Bearer ${API_KEY}` };

/** got types a JSON body as a string; tests know its shape. */
export const json = <T>(res: { body: unknown }): T => res.body as T;
export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** The same catalog in the read model as in the production stand-in. */
export async function seedReadModel(system: TestSystem): Promise<void> {
  for (const p of system.production.products()) {
    const row = toProductRow(p);
    await system.db.prisma.product.upsert({ where: { externalId: p.id }, create: row, update: row });
  }
}

let phones = 0;
/** A phone not used by another test (a phone's accepted orders are rate limited). */
export const freshPhone = () => `+7702${String(1_000_000 + process.pid * 100 + phones++).slice(-7)}`;

export function orderBody(system: TestSystem, overrides: Record<string, unknown> = {}) {
  const product = system.production.products().find((p) => p.isAvailable)!;
  return {
    customer: { phone: freshPhone(), name: 'Айгуль' },
    recipient: { name: 'Мария', phone: '+77011234567' },
    delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', date: shopDate(1), slot: '14:00-16:00' },
    items: [{ productId: product.id, quantity: 1 }],
    ...overrides,
  };
}

export async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A second API process on the same system, with other settings or dependencies (e.g. tight rate limits). */
export async function startApi(
  system: TestSystem,
  overrides: Partial<AppDeps> = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp({
    temporal: system.client,
    prisma: system.db.prisma,
    orders: system.orders,
    slots: system.slots,
    webhookSecret: FIXTURES.webhookSecret,
    kaspiCallbackSecret: FIXTURES.kaspiSecret,
    routeKaspiEvent: system.routeKaspiEvent,
    logger: createLogger('api', { level: 'silent' }),
    ...overrides,
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
