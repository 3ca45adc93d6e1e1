import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import { CATALOG_TASK_QUEUE, PRODUCT_SYNC_SCHEDULE_ID } from './contract';

/**
 * The Schedule `product-sync` runs the full catalog sync every PRODUCT_SYNC_EVERY (6 h by default). A run still
 * going when the next is due makes the next one skip; after an outage only the last 10 minutes are caught up.
 * Created at worker start-up, updated only when the configuration changed, and a pause set by an operator is kept.
 */
export const CATALOG_SYNC_WORKFLOW_TYPE = 'catalogSyncWorkflow';
/** Scheduled runs get ids `catalog-sync-<time>`, apart from the single-product `product-sync-<id>` ones. */
const RUN_ID_PREFIX = 'catalog-sync';
const CATCHUP_WINDOW_MS = 10 * 60_000;

export async function ensureProductSyncSchedule(
  client: Client,
  config: { PRODUCT_SYNC_EVERY: number },
): Promise<'created' | 'updated' | 'unchanged'> {
  const wanted = {
    spec: { intervals: [{ every: config.PRODUCT_SYNC_EVERY }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: CATALOG_SYNC_WORKFLOW_TYPE,
      taskQueue: CATALOG_TASK_QUEUE,
      workflowId: RUN_ID_PREFIX,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW_MS },
  };
  try {
    await client.schedule.create({ scheduleId: PRODUCT_SYNC_SCHEDULE_ID, ...wanted });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(PRODUCT_SYNC_SCHEDULE_ID);
  if (isUpToDate(await handle.describe(), config.PRODUCT_SYNC_EVERY)) return 'unchanged';
  await handle.update((previous) => ({ ...previous, ...wanted, state: previous.state }));
  return 'updated';
}

function isUpToDate(current: ScheduleDescription, everyMs: number): boolean {
  const intervals = current.spec.intervals ?? [];
  return (
    intervals.length === 1 &&
    intervals[0].every === everyMs &&
    !current.spec.calendars?.length &&
    current.action.type === 'startWorkflow' &&
    current.action.workflowType === CATALOG_SYNC_WORKFLOW_TYPE &&
    current.action.taskQueue === CATALOG_TASK_QUEUE &&
    current.policies.overlap === ScheduleOverlapPolicy.SKIP &&
    current.policies.catchupWindow === CATCHUP_WINDOW_MS
  );
}
