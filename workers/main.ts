import { createRequire } from 'node:module';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../common/config';
import { createBusinessMetrics, withProcessMetrics } from '../common/metrics';
import { runMain } from '../common/run-main';
import { connectTemporalClient } from '../common/temporal-connection';
import { createPrisma } from '../db/client';
import { activityDepsFromConfig } from './activity-deps';
import { startHealthServer } from './health';
import { installRuntime } from './runtime';
import { afterWorkersStarted, workersFromConfig } from './workers-from-config';

const requireWhenNeeded = createRequire(__filename);

/** The worker process: one worker per queue of WORKER_QUEUES, until SIGTERM/SIGINT drains them (docs/operations.md). */
runMain('worker', async () => {
  const config = loadConfig();
  const logger = installRuntime(config);
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // Only the catalog sync indexes photos, through the API's engine: a worker of the orders queue alone never loads
  // search/. Required, not import()ed: the launcher's tsx hooks are CommonJS ones (workers/launch.cjs).
  const photoSearch = config.WORKER_QUEUES.includes('catalog')
    ? (requireWhenNeeded('../search') as typeof import('../search')).connectPhotoSearch(config, prisma)
    : undefined;
  const metrics = withProcessMetrics(createBusinessMetrics());
  // Reconciliation asks Temporal which workflows still run; the schedules are kept by this client too.
  const client = await connectTemporalClient(config);
  const deps = { ...activityDepsFromConfig(config, prisma, photoSearch), temporal: client, metrics };
  const { workers, buildId } = await workersFromConfig(config, connection, deps, metrics);
  const running = Promise.all(workers.map(({ worker }) => worker.run()));
  running.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
  const { WORKER_LISTEN_HOST: host, WORKER_HTTP_PORT: port } = config;
  const health = await startHealthServer(workers, { host, port, buildId, metrics: metrics.registry });

  await afterWorkersStarted(client, config, buildId, logger);
  const taskQueues = workers.map((w) => w.taskQueue);
  logger.info({ taskQueues, buildId, health: `http://${host}:${port}/health` }, 'polling task queues');
  await running; // the Runtime drains every worker on SIGTERM/SIGINT, giving activities WORKER_SHUTDOWN_GRACE
  logger.info('workers drained; closing');
  health.close();
  await Promise.all([connection.close(), client.connection.close(), photoSearch?.close()]);
  await prisma.$disconnect();
});
