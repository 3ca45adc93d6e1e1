import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createOrderRecordActivities } from '../../activities/order-records';
import { signInitData } from '../../api/access';
import { createApp } from '../../api/app';
import { ORDER_WORKFLOW_TYPE, ORDERS_TASK_QUEUE, orderWorkflowId } from '../../common/contract';
import { createLogger } from '../../common/logging';
import type { OrderInput, OrderSettings } from '../../common/order';
import { parseSlotCapacity } from '../../common/slot-capacity';
import { temporalCliPath } from '../../common/temporal-binaries';
import { createKaspiEventRouter } from '../../orders/kaspi-events';
import { createOrderClient } from '../../orders/order-client';
import { createSlots } from '../../orders/slots';
import { STATUS_QUERY_TIMEOUT_MS } from '../../orders/status-fallback';
import { newTrackingId } from '../../orders/tracking-id';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { shopDate } from '../support/dates';
import { FIXTURES } from '../support/system';
import { client, json, TEST_API_SETTINGS, trusted, type ErrorBody } from './support';

/**
 * Orders whose workflow no worker answers (every worker killed, or none deployed yet): a real dev server with
 * NO worker on the orders task queue, a real PostgreSQL. The API answers from the records, marked, or 503.
 */
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let server: Server;
let apiUrl: string;

const settings: OrderSettings = { paymentDeadlineMs: 30 * 60_000, latePaymentWatchMs: 3_600_000 };
beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, ip: '127.0.0.1', ui: false },
  });
  db = await createTestDatabase();
  const slots = createSlots({ prisma: db.prisma, rules: parseSlotCapacity('100'), shopTimeZone: 'Asia/Almaty' });
  const app = createApp({
    temporal: env.client,
    prisma: db.prisma,
    orders: createOrderClient({ temporal: env.client, prisma: db.prisma, settings, slots }),
    slots,
    webhookSecret: FIXTURES.webhookSecret,
    kaspiCallbackSecret: FIXTURES.kaspiSecret,
    routeKaspiEvent: createKaspiEventRouter({ temporal: env.client, prisma: db.prisma, settings }),
    settings: TEST_API_SETTINGS,
    logger: createLogger('api', { level: 'silent' }),
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await env?.teardown();
  await db?.drop();
});

const OWNER = 717171;
const telegramUser = (id: number) => ({
  Authorization: `tma ${signInitData({ auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify({ id, first_name: 'A' }) }, FIXTURES.telegramToken)}`,
});

function orderInput(telegramUserId?: number): OrderInput {
  return {
    trackingId: newTrackingId(),
    customer: { phone: '+77015211545', name: 'Айгуль', telegramUserId, telegramChatId: telegramUserId },
    recipient: { name: 'Мария', phone: '+77011234567' },
    delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', date: shopDate(1), slot: '14:00-16:00' },
    items: [{ productId: 697695, quantity: 1 }],
    paymentMethod: 'kaspi',
    settings,
  };
}

/** The order's workflow, started on the orders queue where no worker polls: every query goes unanswered. */
const startUnanswered = (input: OrderInput) =>
  env.client.workflow.start(ORDER_WORKFLOW_TYPE, {
    workflowId: orderWorkflowId(input.trackingId),
    taskQueue: ORDERS_TASK_QUEUE,
    args: [input],
  });

/** The row the worker's recordOrder activity wrote before the worker went away. */
const record = (input: OrderInput) =>
  createOrderRecordActivities({ prisma: db.prisma }).recordOrder({
    input,
    priced: {
      items: [{ productId: 697695, title: 'Розы', quantity: 1, priceKopecks: 1_500_000 }],
      totalKopecks: 1_750_000,
      deliveryFeeKopecks: 250_000,
    },
  });

async function timedGet(trackingId: string, headers: Record<string, string> = {}) {
  const started = Date.now();
  const res = await client(apiUrl, headers).get(`api/v1/orders/${trackingId}`);
  return { res, ms: Date.now() - started };
}

type View = { status: string; source?: string; masked?: boolean; customer: { phone: string }; totalKopecks: number };

test('a recorded order nobody can query answers from the records, marked, within the query deadline', async () => {
  const input = orderInput(OWNER);
  await record(input);
  await startUnanswered(input);

  const { res, ms } = await timedGet(input.trackingId, trusted);
  expect(res.statusCode).toBe(200);
  expect(json<View>(res)).toMatchObject({
    trackingId: input.trackingId,
    status: 'new',
    source: 'records',
    totalKopecks: 1_750_000,
    customer: { phone: '+77015211545' },
    delivery: { slot: '14:00-16:00', address: 'Астана, ул. Кенесары 40, кв 5' },
  });
  expect(json<View>(res).masked).toBeUndefined();
  // Bounded by our deadline, not the server's 30 s query timeout.
  expect(ms).toBeGreaterThanOrEqual(STATUS_QUERY_TIMEOUT_MS - 100);
  expect(ms).toBeLessThan(STATUS_QUERY_TIMEOUT_MS + 3_000);
  expect(await env.client.workflow.getHandle(orderWorkflowId(input.trackingId)).describe()).toMatchObject({
    status: { name: 'RUNNING' },
  });
});

test('the fallback keeps who sees what: the owner in full, another Telegram user and the public masked', async () => {
  const input = orderInput(OWNER);
  await record(input);
  await startUnanswered(input);

  const [own, other, anyone] = await Promise.all([
    timedGet(input.trackingId, telegramUser(OWNER)),
    timedGet(input.trackingId, telegramUser(OWNER + 1)),
    timedGet(input.trackingId),
  ]);
  expect(own.res.statusCode).toBe(200);
  expect(json<View>(own.res)).toMatchObject({ source: 'records', customer: { phone: '+77015211545' } });
  expect(json<View>(own.res).masked).toBeUndefined();
  for (const { res } of [other, anyone]) {
    expect(res.statusCode).toBe(200);
    expect(json<View>(res)).toMatchObject({ source: 'records', masked: true, customer: { phone: '+7701***1545' } });
  }
});

test('an order neither answered nor recorded yet is 503 with Retry-After, never 500; an unknown one stays 404', async () => {
  const input = orderInput();
  await startUnanswered(input);

  const { res, ms } = await timedGet(input.trackingId, trusted);
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  expect(json<ErrorBody>(res).error).toMatchObject({
    code: 'order_unavailable',
    message: expect.stringMatching(/retry/),
  });
  expect(ms).toBeLessThan(STATUS_QUERY_TIMEOUT_MS + 3_000);

  const unknown = await timedGet(newTrackingId(), trusted);
  expect(unknown.res.statusCode).toBe(404);
});
