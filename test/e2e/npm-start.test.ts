import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import { shopDate } from '../support/dates';
import { freePort } from '../support/test-postgres';
import { LOCAL_PORT_NAMES } from '../../scripts/lib/local-env';

/**
 * `npm start` as a newcomer runs it: the real orchestrator with the Temporal dev server, embedded PostgreSQL,
 * the stand-ins, the worker, the API and the bot as separate processes, in a data folder of its own.
 */
const ROOT = path.resolve(__dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-e2e-'));
fs.chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
let ports: Record<string, number>;
let system: ChildProcess | undefined;
let output = '';

function startSystem(): Promise<void> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir };
  for (const [name, port] of Object.entries(ports)) env[name] = String(port);
  system = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env,
    detached: true,
  });
  output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not become ready:\n${output.slice(-3000)}`)),
      170_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    system!.stdout!.on('data', onData);
    system!.stderr!.on('data', onData);
    system!.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`)));
  });
}

async function stopSystem(): Promise<number | null> {
  if (!system || system.exitCode !== null) return system?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => system!.once('exit', resolve));
  process.kill(system.pid!, 'SIGINT'); // Ctrl-C reaches the orchestrator
  return exited;
}

const api = () =>
  got.extend({
    prefixUrl: `http://127.0.0.1:${ports.API_PORT}`,
    responseType: 'json',
    throwHttpErrors: false,
    retry: { limit: 0 },
  });
const json = <T>(res: { body: unknown }): T => res.body as T;

beforeAll(async () => {
  ports = {};
  for (const name of LOCAL_PORT_NAMES) {
    ports[name] = await freePort();
  }
}, 10_000);

afterAll(async () => {
  // After a failed step the system still runs: Ctrl-C first, so the orchestrator stops its children too.
  await Promise.race([stopSystem(), new Promise((resolve) => setTimeout(resolve, 30_000))]);
  if (system && system.exitCode === null) process.kill(-system.pid!, 'SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 40_000);

test('npm start runs the whole system; orders survive a restart, and a new order after it gets one bill and is paid', async () => {
  await startSystem();
  expect(output).toContain(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
  expect((await api().get('health')).body).toMatchObject({ status: 'ok' });
  expect((await got(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/`, { throwHttpErrors: false })).statusCode).toBe(200);
  // The polling bot serves its own /metrics once it polls.
  let botMetrics = '';
  for (let i = 0; i < 120 && !botMetrics; i++) {
    botMetrics = await got(`http://127.0.0.1:${ports.BOT_METRICS_PORT}/metrics`)
      .text()
      .catch(() => '');
    if (!botMetrics) await new Promise((r) => setTimeout(r, 250));
  }
  expect(botMetrics).toContain('# TYPE cvety_photo_search_duration_seconds histogram');

  const production = `http://127.0.0.1:${ports.STANDIN_PRODUCTION_PORT}`;
  const catalog = json<{ id: number; isAvailable: boolean }[]>(
    await got(`${production}/__control/products`, { responseType: 'json' }),
  );
  const productId = catalog.find((p) => p.isAvailable)!.id;
  // As a client is told to: a 503 (the worker still starting on a loaded machine) is asked again with the same key.
  const place = () =>
    api().post('api/v1/orders', {
      headers: { 'Idempotency-Key': `npm-start-${process.pid}` },
      json: {
        customer: { phone: '+77015211545', name: 'Айгуль' },
        recipient: { name: 'Мария', phone: '+77011234567' },
        delivery: { type: 'delivery', address: 'Астана, Кенесары 40', date: shopDate(1), slot: '14:00-16:00' },
        items: [{ productId, quantity: 1 }],
      },
    });
  let placed = await place();
  for (let i = 0; i < 2 && placed.statusCode === 503; i++) placed = await place();
  expect([200, 201]).toContain(placed.statusCode); // 200: the order the first try placed
  const { trackingId } = json<{ trackingId: string }>(placed);

  let crmOrders: { railwayOrderId: string; createCalls: number }[] = [];
  for (let i = 0; i < 60 && crmOrders.length === 0; i++) {
    crmOrders = json<typeof crmOrders>(await got(`${production}/__control/orders`, { responseType: 'json' }));
    if (crmOrders.length === 0) await new Promise((r) => setTimeout(r, 250));
  }
  expect(crmOrders).toEqual([expect.objectContaining({ railwayOrderId: trackingId, createCalls: 1 })]);
  expect(json<{ status: string }>(await api().get(`api/v1/orders/${trackingId}`)).status).toMatch(
    /new|awaiting_payment/,
  );

  expect(await stopSystem()).toBe(0);
  await expect(got(`http://127.0.0.1:${ports.API_PORT}/health`, { retry: { limit: 0 } })).rejects.toThrow();

  await startSystem();
  const again = await api().get(`api/v1/orders/${trackingId}`);
  if (again.statusCode !== 200) console.error('reading the order after the restart:', again.body);
  expect(again.statusCode).toBe(200);
  expect(json<{ trackingId: string }>(again).trackingId).toBe(trackingId);

  // After the restart a new order gets new CRM and Kaspi ids (the stand-ins kept theirs), one bill, and is paid.
  // The customer picks what our catalog lists as available (the catalog sync may still be running).
  const listed = json<{ items: { externalId: number; available: boolean }[] }>(await api().get('api/v1/products'));
  const secondProductId = listed.items.find((p) => p.available)?.externalId ?? productId;
  const second = await api().post('api/v1/orders', {
    json: {
      customer: { phone: '+77015211546', name: 'Айгуль' },
      delivery: { type: 'pickup', date: shopDate(1), slot: '14:00-16:00' },
      items: [{ productId: secondProductId, quantity: 1 }],
    },
  });
  expect([second.statusCode, second.body]).toEqual([201, expect.anything()]); // a refusal shows its reason
  const next = json<{ trackingId: string }>(second).trackingId;
  type Bill = { externalId: string; message: string };
  const bills = async () => json<Bill[]>(await got(`${production}/__control/payments`, { responseType: 'json' }));
  let mine: Bill[] = [];
  for (let i = 0; i < 120 && mine.length === 0; i++) {
    mine = (await bills()).filter((b) => b.message.includes(next));
    if (mine.length === 0) await new Promise((r) => setTimeout(r, 250));
  }
  expect(mine).toHaveLength(1);
  expect(new Set((await bills()).map((b) => b.externalId)).size).toBe((await bills()).length);
  await got.post(`${production}/__control/payments/${mine[0].externalId}`, { json: { status: 'Processed' } });
  let status = '';
  for (let i = 0; i < 120 && status !== 'paid'; i++) {
    status = json<{ status: string }>(await api().get(`api/v1/orders/${next}`)).status;
    if (status !== 'paid') await new Promise((r) => setTimeout(r, 500));
  }
  expect(status).toBe('paid'); // polled within the first 15 s: nothing stuck behind a failed write
  expect((await bills()).filter((b) => b.message.includes(next))).toHaveLength(1);
  const crm = json<{ orderId: number; railwayOrderId: string }[]>(
    await got(`${production}/__control/orders`, { responseType: 'json' }),
  );
  expect(new Set(crm.map((o) => o.orderId)).size).toBe(crm.length);
  expect(crm.map((o) => o.railwayOrderId)).toEqual(expect.arrayContaining([trackingId, next]));
  expect(await stopSystem()).toBe(0);
}, 400_000);
