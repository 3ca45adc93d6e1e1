import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { loadConfig } from '../common/config';
import { PRODUCT_SYNC_SCHEDULE_ID, RECONCILE_SCHEDULE_ID, TASK_QUEUE } from '../common/contract';
import { runMain } from '../common/run-main';
import { ensureProductSyncSchedule, ensureReconcileSchedule } from '../common/schedules';
import { createPrisma } from '../db/client';
import { createPhotoSearch } from '../search';
import { activityDepsFromConfig } from './activity-deps';
import { createWorker } from './create-worker';

/** The worker process: connect, create, run until SIGINT/SIGTERM, close. */
runMain('worker', async () => {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger(config.LOG_LEVEL.toUpperCase() as LogLevel) });
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // The catalog sync indexes photos for the photo search through this engine.
  const photoSearch = createPhotoSearch(config, prisma);
  // Reconciliation asks Temporal which workflows still run; the schedules are kept by this client too.
  const client = new Client({
    connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }),
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    deps: { ...activityDepsFromConfig(config, prisma, photoSearch), temporal: client },
  });
  const schedule = await ensureProductSyncSchedule(client, config);
  // A new shop gets its catalog now rather than in six hours.
  if (schedule === 'created') await client.schedule.getHandle(PRODUCT_SYNC_SCHEDULE_ID).trigger();
  console.log(`worker: schedule ${PRODUCT_SYNC_SCHEDULE_ID} ${schedule}`);
  console.log(`worker: schedule ${RECONCILE_SCHEDULE_ID} ${await ensureReconcileSchedule(client, config)}`);
  console.log(`worker: polling task queue "${TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}`);
  await worker.run();
  await Promise.all([connection.close(), client.connection.close(), photoSearch.close()]);
  await prisma.$disconnect();
});
