import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, type NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../activities';
import type { Config } from '../common/config';
import { PRODUCT_SYNC_SCHEDULE_ID, RECONCILE_SCHEDULE_ID } from '../common/contract';
import type { Logger } from '../common/logging';
import type { BusinessMetrics } from '../common/metrics';
import { ensureProductSyncSchedule, ensureReconcileSchedule } from '../common/schedules';
import { temporalDataConverter } from '../common/temporal-connection';
import { createWorker, TASK_QUEUES } from './create-worker';
import { buildIdFor, promoteToCurrent } from './deployment';
import { workerLimits } from './settings';
import { workflowBundleOptions } from './workflow-bundle';

export type QueueWorker = { taskQueue: string; worker: Worker };

/** One worker per queue of WORKER_QUEUES, with its limits, the codec, the metrics and the deployment version. */
export async function workersFromConfig(
  config: Config,
  connection: NativeConnection,
  deps: ActivityDeps,
  metrics: BusinessMetrics,
): Promise<{ workers: QueueWorker[]; buildId?: string }> {
  const buildId = config.WORKER_VERSIONING === 'on' ? buildIdFor(config) : undefined;
  const workflowBundle = config.WORKFLOW_BUNDLE
    ? { codePath: config.WORKFLOW_BUNDLE }
    : await bundleWorkflowCode(workflowBundleOptions());
  const workers = await Promise.all(
    config.WORKER_QUEUES.map(async (queue) => ({
      taskQueue: TASK_QUEUES[queue],
      worker: await createWorker({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        deps,
        queue,
        workflowBundle,
        limits: workerLimits(config, queue),
        buildId,
        metrics,
        dataConverter: temporalDataConverter(config),
      }),
    })),
  );
  return { workers, buildId };
}

/** Once polling: make this version current (WORKER_PROMOTE=auto) and keep the product-sync schedule as configured. */
export async function afterWorkersStarted(client: Client, config: Config, buildId: string | undefined, logger: Logger) {
  if (buildId && config.WORKER_PROMOTE === 'auto') {
    logger.info({ buildId, outcome: await promoteToCurrent(client, buildId) }, 'worker deployment version is current');
  }
  if (config.WORKER_QUEUES.includes('catalog')) {
    const schedule = await ensureProductSyncSchedule(client, config);
    // A new shop gets its catalog now rather than in six hours.
    if (schedule === 'created') await client.schedule.getHandle(PRODUCT_SYNC_SCHEDULE_ID).trigger();
    logger.info({ schedule: PRODUCT_SYNC_SCHEDULE_ID, outcome: schedule }, 'schedule ensured');
  }
  if (config.WORKER_QUEUES.includes('orders')) {
    const outcome = await ensureReconcileSchedule(client, config);
    logger.info({ schedule: RECONCILE_SCHEDULE_ID, outcome }, 'schedule ensured');
  }
}
