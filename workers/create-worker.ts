import type { DataConverter } from '@temporalio/common';
import {
  Worker,
  type NativeConnection,
  type WorkerDeploymentOptions,
  type WorkerOptions as SdkWorkerOptions,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { CATALOG_TASK_QUEUE, ORDERS_TASK_QUEUE, WORKER_DEPLOYMENT_NAME } from '../common/contract';
import type { BusinessMetrics } from '../common/metrics';
import { activityMetricsInterceptor } from './activity-metrics';

export type WorkerQueue = 'orders' | 'catalog';
export const TASK_QUEUES: Record<WorkerQueue, string> = { orders: ORDERS_TASK_QUEUE, catalog: CATALOG_TASK_QUEUE };

/** Limits of one worker; unset ones keep the SDK's defaults (tests). */
export type WorkerLimits = Pick<
  SdkWorkerOptions,
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxCachedWorkflows'
  | 'shutdownGraceTime'
>;

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  /** Which task queue this worker polls. Default `orders`. */
  queue?: WorkerQueue;
  /** Built with workflowBundleOptions() (workflow-bundle.ts): ahead of time in production (WORKFLOW_BUNDLE). */
  workflowBundle: WorkflowBundleOption;
  limits?: WorkerLimits;
  /** The Worker Deployment build id; without it the worker is unversioned (tests, replay). */
  buildId?: string;
  /** Business metrics counted around activities (activity-metrics.ts). */
  metrics?: BusinessMetrics;
  /** Production: temporalDataConverter(config) (payloads encrypted); tests may leave it out. */
  dataConverter?: DataConverter;
}

/**
 * A worker of one task queue. Both queues register the whole workflow bundle and every activity: what runs where is
 * decided by who starts the workflow (the order client on `orders`, the schedule and product sync on `catalog`),
 * and a workflow's activities run on its own queue.
 */
export function createWorker(opts: WorkerOptions): Promise<Worker> {
  const queue = opts.queue ?? 'orders';
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: TASK_QUEUES[queue],
    workflowBundle: opts.workflowBundle,
    activities: createActivities(opts.deps),
    ...opts.limits,
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
    ...(opts.metrics ? { interceptors: { activity: [activityMetricsInterceptor(opts.metrics)] } } : {}),
    ...(opts.buildId ? { workerDeploymentOptions: deploymentOptions(queue, opts.buildId) } : {}),
  });
}

/**
 * Worker versioning: an order runs for days and AUTO_UPGRADEs to each new current version, so every change to the
 * order workflow must replay old histories (patched() + the replay tests); a catalog sync is short and stays PINNED
 * to the version that started it, so it may change freely between versions.
 */
export function deploymentOptions(queue: WorkerQueue, buildId: string): WorkerDeploymentOptions {
  return {
    version: { deploymentName: WORKER_DEPLOYMENT_NAME, buildId },
    useWorkerVersioning: true,
    defaultVersioningBehavior: queue === 'orders' ? 'AUTO_UPGRADE' : 'PINNED',
  };
}
