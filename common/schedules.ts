import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import { CATALOG_TASK_QUEUE, ORDERS_TASK_QUEUE, PRODUCT_SYNC_SCHEDULE_ID, RECONCILE_SCHEDULE_ID } from './contract';

/**
 * The Schedule `product-sync` runs the full catalog sync every PRODUCT_SYNC_EVERY (6 h by default). A run still
 * going when the next is due makes the next one skip; after an outage only the last 10 minutes are caught up.
 * Created at worker start-up, updated only when the configuration changed, and a pause set by an operator is kept.
 */
export const CATALOG_SYNC_WORKFLOW_TYPE = 'catalogSyncWorkflow';
/** Scheduled runs get ids `catalog-sync-<time>`, apart from the single-product `product-sync-<id>` ones. */
const RUN_ID_PREFIX = 'catalog-sync';
const CATCHUP_WINDOW_MS = 10 * 60_000;

export const ensureProductSyncSchedule = (client: Client, config: { PRODUCT_SYNC_EVERY: number }) =>
  ensureIntervalSchedule(
    client,
    PRODUCT_SYNC_SCHEDULE_ID,
    {
      workflowType: CATALOG_SYNC_WORKFLOW_TYPE,
      taskQueue: CATALOG_TASK_QUEUE,
      workflowId: RUN_ID_PREFIX,
      staticSummary: 'Full catalog sync from production (scheduled)',
      staticDetails: `Every ${hoursOf(config.PRODUCT_SYNC_EVERY)}: products, prices and photos; a run still going makes the next one skip.`,
    },
    config.PRODUCT_SYNC_EVERY,
  );

/**
 * The Schedule `reconcile` runs reconcileWorkflow every RECONCILE_EVERY (15 minutes by default): what no
 * workflow watches (payments in doubt, open refunds, paid orders without a CRM order, unknown Kaspi money, slot
 * places of orders that never started).
 */
export const RECONCILE_WORKFLOW_TYPE = 'reconcileWorkflow';
export const ensureReconcileSchedule = (
  client: Client,
  config: { RECONCILE_EVERY: number; LATE_PAYMENT_WATCH: number },
) =>
  ensureIntervalSchedule(
    client,
    RECONCILE_SCHEDULE_ID,
    {
      workflowType: RECONCILE_WORKFLOW_TYPE,
      taskQueue: ORDERS_TASK_QUEUE,
      workflowId: 'reconcile',
      staticSummary: 'Reconcile payments, refunds and CRM orders (scheduled)',
      staticDetails:
        'What no workflow watches: payments in doubt, open refunds, paid orders without a CRM order, unknown Kaspi ' +
        'money; frees slot places of orders that never started. Findings needing an operator set NeedsAttention ' +
        'on the order.',
    },
    config.RECONCILE_EVERY,
    [{ latePaymentWatchMs: config.LATE_PAYMENT_WATCH }],
  );

const hoursOf = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`);

/** What a scheduled run starts; the summary and details are what the Web UI shows for the schedule and its runs. */
interface ScheduledWorkflow {
  workflowType: string;
  taskQueue: string;
  workflowId: string;
  staticSummary: string;
  staticDetails: string;
}

/** Creates the schedule, or updates it when the configuration changed; a pause set by an operator is kept. */
async function ensureIntervalSchedule(
  client: Client,
  scheduleId: string,
  workflow: ScheduledWorkflow,
  everyMs: number,
  args: unknown[] = [],
): Promise<'created' | 'updated' | 'unchanged'> {
  const wanted = {
    spec: { intervals: [{ every: everyMs }] },
    action: { type: 'startWorkflow' as const, ...workflow, args },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW_MS },
  };
  try {
    await client.schedule.create({ scheduleId, ...wanted });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  if (isUpToDate(await handle.describe(), workflow, everyMs, args)) return 'unchanged';
  await handle.update((previous) => ({ ...previous, ...wanted, state: previous.state }));
  return 'updated';
}

function isUpToDate(
  current: ScheduleDescription,
  { workflowType, taskQueue, staticSummary, staticDetails }: ScheduledWorkflow,
  everyMs: number,
  args: unknown[],
): boolean {
  const intervals = current.spec.intervals ?? [];
  return (
    intervals.length === 1 &&
    intervals[0].every === everyMs &&
    !current.spec.calendars?.length &&
    current.action.type === 'startWorkflow' &&
    current.action.workflowType === workflowType &&
    current.action.taskQueue === taskQueue &&
    current.action.staticSummary === staticSummary &&
    current.action.staticDetails === staticDetails &&
    JSON.stringify(current.action.args ?? []) === JSON.stringify(args) &&
    current.policies.overlap === ScheduleOverlapPolicy.SKIP &&
    current.policies.catchupWindow === CATCHUP_WINDOW_MS
  );
}
