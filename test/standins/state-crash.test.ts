import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import { Api } from 'grammy';
import { startProcess, type ManagedProcess } from '../../scripts/lib/processes';
import { isPortOpen, waitUntil } from '../../scripts/lib/wait';
import { freePort } from '../support/test-postgres';

const PRODUCTION_TOKEN = 'test-production-token-0123456789';
const TELEGRAM_TOKEN = '123456:TEST-fake-token-abcdefghijklmnop';
const CHAT = 5550003;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Body = Record<string, any>;

/**
 * The stand-ins' process SIGKILLed a moment after a change: what it had answered is still there after the restart
 * (from the journal beside the snapshot), and no id is handed out twice.
 */
describe('stand-ins killed with SIGKILL', () => {
  let dir: string;
  let ports: { production: number; telegram: number; s3: number };
  let running: ManagedProcess | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-standin-crash-'));
    ports = { production: await freePort(), telegram: await freePort(), s3: await freePort() };
  });
  afterEach(async () => running?.stop());
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function start(): Promise<ManagedProcess> {
    running = startProcess('standins', process.execPath, ['--import', 'tsx', 'standins/main.ts'], {
      cwd: path.resolve(__dirname, '..', '..'),
      env: {
        ...process.env,
        STANDIN_SERVICES: 'production,telegram',
        STANDIN_DATA_DIR: dir,
        STANDIN_PRODUCTION_PORT: String(ports.production),
        STANDIN_TELEGRAM_PORT: String(ports.telegram),
        PRODUCTION_API_TOKEN: PRODUCTION_TOKEN,
        TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      },
      logFile: path.join(dir, 'standins.log'),
    });
    for (const port of [ports.production, ports.telegram]) {
      await waitUntil(`stand-in on ${port}`, () => isPortOpen(port), { timeoutMs: 30_000 });
    }
    return running;
  }

  const api = (route: string, searchParams: Record<string, string | number> = {}, json?: Body) =>
    got<Body>(`http://127.0.0.1:${ports.production}/api/v2${route}`, {
      method: json ? 'POST' : 'GET',
      json,
      searchParams: { access_token: PRODUCTION_TOKEN, ...searchParams },
      responseType: 'json',
      retry: { limit: 0 },
    }).then((r) => r.body);
  const createOrder = (id: string) =>
    api(
      '/orders/create/',
      {},
      {
        railway_order_id: id,
        customer_phone: '+77015211545',
        pickup: 'Y',
        items: [{ product_id: 697695, quantity: 1, price: 750000 }],
        total_price: 750000,
      },
    );
  const telegram = () => new Api(TELEGRAM_TOKEN, { apiRoot: `http://127.0.0.1:${ports.telegram}` });

  it('keeps every change it answered, and counts on from there', async () => {
    const first = await start();
    const order = await createOrder('rw-crash-1');
    const payment = await api('/paymentkaspi/create/', { phone: '77015211545', amount: 7500, message: 'Заказ 1' });
    const sent = await telegram().sendMessage(CHAT, 'Заказ принят');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the journal's 50 ms, with room
    expect(await first.kill('SIGKILL')).toBe('killed by SIGKILL');
    expect(fs.readdirSync(dir)).toEqual(
      expect.arrayContaining(['production.json', 'production.json.journal', 'telegram.json.journal']),
    );

    await start();
    // The same railway id finds the same CRM order instead of creating a second one.
    const again = await createOrder('rw-crash-1');
    expect(again.order_id).toBe(order.order_id);
    const next = await createOrder('rw-crash-2');
    expect(next.order_id).toBe(order.order_id + 1);
    const status = await api('/paymentkaspi/status/', { externalId: payment.data.externalId });
    expect(status.data.status).toBe('Wait');
    const newer = await api('/paymentkaspi/create/', { phone: '77015211545', amount: 100, message: 'Заказ 2' });
    expect(Number(newer.data.externalId)).toBeGreaterThan(Number(payment.data.externalId));
    const later = await telegram().sendMessage(CHAT, 'Оплата получена');
    expect(later.message_id).toBe(sent.message_id + 1);
    const calls = (
      await got<Body[]>(`http://127.0.0.1:${ports.telegram}/__control/sent?chat_id=${CHAT}`, { responseType: 'json' })
    ).body;
    expect(calls.map((c) => c.payload.text)).toEqual(['Заказ принят', 'Оплата получена']);

    await running!.stop(); // a graceful stop folds the journal into the snapshot
    expect(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json') || f.endsWith('.journal'))
        .sort(),
    ).toEqual(['production.json', 'telegram.json']);
  }, 90_000);
});
