import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import { createProductionApiStandin, ProductionApiStandin } from '../../standins/production-api';

const TOKEN = 'test-production-token-0123456789';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Body = Record<string, any>;

const orderBody = (railwayOrderId: string) => ({
  railway_order_id: railwayOrderId,
  customer_phone: '+77015211545',
  pickup: 'Y',
  items: [{ product_id: 697695, quantity: 1, price: 750000 }],
  total_price: 750000,
});

/** The stand-in's own routes, over HTTP. */
function client(standin: ProductionApiStandin) {
  const options = { responseType: 'json' as const, throwHttpErrors: false, retry: { limit: 0 } };
  return {
    createOrder: async (id: string) =>
      (
        await got.post<Body>(`${standin.apiUrl}/orders/create/`, {
          ...options,
          json: orderBody(id),
          searchParams: { access_token: TOKEN },
        })
      ).body,
    kaspi: async (action: string, searchParams: Record<string, string | number>) =>
      (
        await got<Body>(`${standin.apiUrl}/paymentkaspi/${action}/`, {
          ...options,
          searchParams: { access_token: TOKEN, ...searchParams },
        })
      ).body,
    control: async (method: 'get' | 'post', route: string, json?: Body) =>
      (await got<Body>(`${standin.url}/__control${route}`, { ...options, method, json })).body,
  };
}

describe('production API stand-in with a state file', () => {
  let dir: string;
  let file: string;
  const start = () => createProductionApiStandin({ port: 0, token: TOKEN, stateFile: file });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-standin-'));
    file = path.join(dir, 'standins', 'production.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps orders, payments, refunds and catalog edits across a restart, and never reuses an id', async () => {
    const first = await start();
    let api = client(first);
    const order = await api.createOrder('rw-persist-1');
    const payment = await api.kaspi('create', { phone: '77015211545', amount: 7500, message: 'Заказ 1' });
    const externalId = payment.data.externalId as string;
    await api.control('post', `/payments/${externalId}`, { status: 'Processed' });
    const refund = await api.kaspi('refund', { externalId, amount: 500 });
    await api.control('post', '/products', { upsert: [{ id: 697695, price: '8 000 ₸' }], webhook: false });
    await api.control('post', `/orders/${order.order_id}/status`, { status: 'PD', webhook: false });
    await first.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['production.json']); // no temporary file left

    const second = await start();
    let lastOrderId: number;
    try {
      api = client(second);
      const orders = await api.control('get', '/orders');
      expect(orders).toEqual([
        expect.objectContaining({ orderId: order.order_id, railwayOrderId: 'rw-persist-1', status: 'PD' }),
      ]);
      const payments = await api.control('get', '/payments');
      expect(payments).toEqual([
        expect.objectContaining({ externalId, status: 'Processed', refundedTotal: 500, amount: 7500 }),
      ]);
      expect((await api.kaspi('status', { externalId })).data.status).toBe('Processed');

      // The same railway_order_id is still known: a retried create finds the first order.
      const again = await api.createOrder('rw-persist-1');
      expect(again).toMatchObject({ order_id: order.order_id, duplicate: true });
      expect((await api.control('get', '/orders'))[0].createCalls).toBe(2);

      const next = await api.createOrder('rw-persist-2');
      expect(next.order_id).toBeGreaterThan(order.order_id);
      const nextPayment = await api.kaspi('create', { phone: '77015211545', amount: 100 });
      expect(Number(nextPayment.data.externalId)).toBeGreaterThan(Number(externalId));
      await api.control('post', `/payments/${nextPayment.data.externalId}`, { status: 'Processed' });
      const nextRefund = await api.kaspi('refund', { externalId: nextPayment.data.externalId, amount: 100 });
      expect(nextRefund.data.returnOperationId).toBeGreaterThan(refund.data.returnOperationId);

      // The edited product survived, with its photos served by this run's origin.
      const product = (await api.control('get', '/products')).find((p: Body) => p.id === 697695);
      expect(product.price).toBe('8 000 ₸');
      expect(product.images.every((url: string) => url.startsWith(`${second.url}/static/`))).toBe(true);

      // A reset empties the books but ids keep counting, in memory and after a restart.
      await api.control('post', '/reset');
      expect(await api.control('get', '/orders')).toEqual([]);
      const afterReset = await api.createOrder('rw-persist-3');
      expect(afterReset.order_id).toBeGreaterThan(next.order_id);
      lastOrderId = afterReset.order_id;
    } finally {
      await second.close();
    }

    const third = await start();
    try {
      api = client(third);
      expect((await api.control('get', '/orders')).map((o: Body) => o.railwayOrderId)).toEqual(['rw-persist-3']);
      expect((await api.createOrder('rw-persist-4')).order_id).toBeGreaterThan(lastOrderId);
    } finally {
      await third.close();
    }
  });

  it('refuses to start over a state file it cannot read, rather than counting ids from the start', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"version":1,');
    await expect(start()).rejects.toThrow(/cannot read the stand-in state/);
  });

  it('keeps everything in memory when no state file is given', async () => {
    const standin = await createProductionApiStandin({ port: 0, token: TOKEN });
    try {
      await client(standin).createOrder('rw-memory');
      await standin.close();
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      await standin.close();
    }
  });
});
