import { randomBytes } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import {
  kaspiPaymentWorkflowId,
  ORDERS_TASK_QUEUE,
  PRODUCT_SYNC_SCHEDULE_ID,
  RECONCILE_SCHEDULE_ID,
} from '../../common/contract';
import { parsePayloadKeys } from '../../common/payload-codec';
import { ensureProductSyncSchedule, ensureReconcileSchedule, RECONCILE_WORKFLOW_TYPE } from '../../common/schedules';
import { temporalDataConverter } from '../../common/temporal-connection';
import { client, json, orderBody, seedReadModel, TEST_API_SETTINGS, trusted, until } from '../api/support';
import { startSystem, type TestSystem } from '../support/system';

const HOUR = 3_600_000;
let system: TestSystem;
beforeAll(async () => {
  // Production's converter: summaries and details are payloads, encrypted like inputs.
  const keys = parsePayloadKeys(`k1:${randomBytes(32).toString('base64')}`);
  system = await startSystem({ api: TEST_API_SETTINGS, dataConverter: temporalDataConverter({ PAYLOAD_KEYS: keys }) });
  await seedReadModel(system);
}, 120_000);
afterAll(() => system?.stop());

/** The schedule's start action as the server stores it: the summary's payload encoding, read without the codec. */
async function rawSummaryEncoding(scheduleId: string): Promise<string> {
  const raw = await system.client.workflowService.describeSchedule({ namespace: 'default', scheduleId });
  const encoding = raw.schedule?.action?.startWorkflow?.userMetadata?.summary?.metadata?.encoding;
  return Buffer.from(encoding ?? []).toString();
}

test('the product-sync and reconcile schedules carry a summary and details for the Web UI, added to an older schedule', async () => {
  // A reconcile schedule as an earlier release created it: no summary.
  await system.client.schedule.create({
    scheduleId: RECONCILE_SCHEDULE_ID,
    spec: { intervals: [{ every: 15 * 60_000 }] },
    action: {
      type: 'startWorkflow',
      workflowType: RECONCILE_WORKFLOW_TYPE,
      taskQueue: ORDERS_TASK_QUEUE,
      workflowId: 'reconcile',
      args: [],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    state: { paused: true },
  });
  const reconcileConfig = { RECONCILE_EVERY: 15 * 60_000, LATE_PAYMENT_WATCH: 24 * HOUR };
  expect(await ensureReconcileSchedule(system.client, reconcileConfig)).toBe('updated');
  expect(await ensureReconcileSchedule(system.client, reconcileConfig)).toBe('unchanged');
  expect(await ensureProductSyncSchedule(system.client, { PRODUCT_SYNC_EVERY: 6 * HOUR })).toBe('created');

  const reconcile = await system.client.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe();
  expect(reconcile.state.paused).toBe(true); // the operator's pause is kept
  expect(reconcile.action).toMatchObject({
    staticSummary: 'Reconcile payments, refunds and CRM orders (scheduled)',
    staticDetails: expect.stringContaining('payments in doubt') as string,
  });
  const sync = await system.client.schedule.getHandle(PRODUCT_SYNC_SCHEDULE_ID).describe();
  expect(sync.action).toMatchObject({
    staticSummary: 'Full catalog sync from production (scheduled)',
    staticDetails: expect.stringMatching(/^Every 6 h: products, prices and photos/) as string,
  });
  expect(await rawSummaryEncoding(PRODUCT_SYNC_SCHEDULE_ID)).toBe('binary/encrypted');

  for (const id of [RECONCILE_SCHEDULE_ID, PRODUCT_SYNC_SCHEDULE_ID])
    await system.client.schedule.getHandle(id).delete();
});

test("an order's Kaspi payment child workflow carries its summary and details", async () => {
  const res = await client(system.apiUrl, trusted).post('api/v1/orders', { json: orderBody(system) });
  expect(res.statusCode).toBe(201);
  const { trackingId } = json<{ trackingId: string }>(res);

  const order = await system.client.workflow.getHandle(`order-${trackingId}`).describe();
  expect(await order.staticSummary()).toMatch(new RegExp(`^Order ${trackingId} for `));

  const child = system.client.workflow.getHandle(kaspiPaymentWorkflowId(trackingId, 1));
  const described = await until(
    () => child.describe().catch(() => undefined),
    (d) => d !== undefined,
  );
  expect(described).toBeDefined();
  expect(await described!.staticSummary()).toBe(`Kaspi payment for order ${trackingId}, attempt 1`);
  expect(await described!.staticDetails()).toMatch(/^\d+(\.\d+)? ₸, payable for 30 min$/);
});
