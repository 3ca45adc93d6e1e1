import { orderWorkflowId } from '../../common/contract';
import { STATUS_QUERY_TIMEOUT_MS } from '../../orders/status-fallback';
import { startSystem, type TestSystem } from '../support/system';
import { client, json, orderBody, seedReadModel, TEST_API_SETTINGS, trusted, until } from './support';

/**
 * The worker-kill case as operators met it: an order placed and run by a worker, then every worker gone. Its
 * status query finds no worker (the dev server would wait 30 s, then fail); the API answers from the records.
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ api: TEST_API_SETTINGS });
  await seedReadModel(system);
}, 120_000);
afterAll(() => system?.stop());

type View = { trackingId: string; status: string; source?: string; payment: { status: string } };

test('an order whose workers are gone answers as recorded, marked, within the query deadline', async () => {
  const api = client(system.apiUrl, trusted);
  const placed = await api.post('api/v1/orders', { json: orderBody(system) });
  expect(placed.statusCode).toBe(201);
  const { trackingId } = json<{ trackingId: string }>(placed);
  const live = await until(
    async () => json<View>(await api.get(`api/v1/orders/${trackingId}`)),
    (v) => v.status === 'awaiting_payment',
  );
  expect(live.source).toBeUndefined();
  await until(
    () => system.db.prisma.order.findUnique({ where: { trackingId } }),
    (row) => row?.status === 'awaiting_payment',
  );

  await system.stopWorkers();
  const started = Date.now();
  const res = await api.get(`api/v1/orders/${trackingId}`);
  const ms = Date.now() - started;
  expect(res.statusCode).toBe(200);
  expect(json<View>(res)).toMatchObject({ trackingId, status: 'awaiting_payment', source: 'records' });
  expect(ms).toBeLessThan(STATUS_QUERY_TIMEOUT_MS + 3_000);
  const { status } = await system.client.workflow.getHandle(orderWorkflowId(trackingId)).describe();
  expect(status.name).toBe('RUNNING');
});
