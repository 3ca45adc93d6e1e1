import type { Config } from '../common/config';
import type { WorkerLimits, WorkerQueue } from './create-worker';

/**
 * Explicit limits per queue. Orders are many small tasks: many activity slots, and a sticky cache for the orders
 * that are moving (a cached order replays nothing; a waiting one sleeps on the server, bench/README.md "Open
 * orders"). The catalog sync runs a few heavy activities (pages of products, photo copies and features): few slots,
 * so a re-index cannot take the process's memory and CPU from the orders.
 */
export function workerLimits(config: Config, queue: WorkerQueue): WorkerLimits {
  return {
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions:
      queue === 'orders' ? config.WORKER_MAX_ACTIVITIES : config.CATALOG_MAX_ACTIVITIES,
    maxCachedWorkflows: queue === 'orders' ? config.WORKER_MAX_CACHED_WORKFLOWS : 50,
    shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE,
  };
}
