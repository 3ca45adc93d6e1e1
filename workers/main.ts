import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../common/config';
import { PRODUCT_SYNC_SCHEDULE_ID } from '../common/contract';
import { createBusinessMetrics, withProcessMetrics } from '../common/metrics';
import { runMain } from '../common/run-main';
import { connectTemporalClient, temporalDataConverter } from '../common/temporal-connection';
import { ensureProductSyncSchedule } from '../common/schedules';
import { createPrisma } from '../db/client';
import { createPhotoSearch } from '../search';
import { activityDepsFromConfig } from './activity-deps';
import { createWorker, TASK_QUEUES } from './create-worker';
import { buildIdFor, promoteToCurrent } from './deployment';
import { startHealthServer } from './health';
import { installRuntime } from './runtime';
import { workerLimits } from './settings';

/** The worker process: one worker per queue of WORKER_QUEUES, until SIGTERM/SIGINT drains them (docs/operations.md). */
runMain('worker', async () => {
  const config = loadConfig();
  const logger = installRuntime(config);
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const photoSearch = createPhotoSearch(config, prisma); // the catalog sync indexes photos through it
  const deps = activityDepsFromConfig(config, prisma, photoSearch);
  const metrics = withProcessMetrics(createBusinessMetrics());
  const buildId = config.WORKER_VERSIONING === 'on' ? buildIdFor(config) : undefined;
  const workflowBundle = config.WORKFLOW_BUNDLE
    ? { codePath: config.WORKFLOW_BUNDLE }
    : await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
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
  const running = Promise.all(workers.map(({ worker }) => worker.run()));
  running.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
  const health = await startHealthServer(workers, {
    host: config.WORKER_LISTEN_HOST,
    port: config.WORKER_HTTP_PORT,
    buildId,
    metrics: metrics.registry,
  });

  const client = await connectTemporalClient(config);
  if (buildId && config.WORKER_PROMOTE === 'auto') {
    logger.info({ buildId, outcome: await promoteToCurrent(client, buildId) }, 'worker deployment version is current');
  }
  if (config.WORKER_QUEUES.includes('catalog')) {
    const schedule = await ensureProductSyncSchedule(client, config);
    // A new shop gets its catalog now rather than in six hours.
    if (schedule === 'created') await client.schedule.getHandle(PRODUCT_SYNC_SCHEDULE_ID).trigger();
    logger.info({ schedule: PRODUCT_SYNC_SCHEDULE_ID, outcome: schedule }, 'schedule ensured');
  }
  await client.connection.close();
  logger.info(
    {
      taskQueues: workers.map((w) => w.taskQueue),
      buildId,
      health: `http://${config.WORKER_LISTEN_HOST}:${config.WORKER_HTTP_PORT}/health`,
    },
    'polling task queues',
  );
  await running; // the Runtime drains every worker on SIGTERM/SIGINT, giving activities WORKER_SHUTDOWN_GRACE
  logger.info('workers drained; closing');
  health.close();
  await Promise.all([connection.close(), photoSearch.close()]);
  await prisma.$disconnect();
});
