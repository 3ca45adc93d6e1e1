import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../common/config';
import { createLogger, sdkLogger } from '../common/logging';
import { PRODUCT_SYNC_SCHEDULE_ID, TASK_QUEUE } from '../common/contract';
import { runMain } from '../common/run-main';
import { ensureProductSyncSchedule } from '../common/schedules';
import { createPrisma } from '../db/client';
import { createPhotoSearch } from '../search';
import { activityDepsFromConfig } from './activity-deps';
import { createWorker } from './create-worker';

/** The worker process: connect, create, run until SIGINT/SIGTERM, close. */
runMain('worker', async () => {
  const config = loadConfig();
  const logger = createLogger('worker', { level: config.LOG_LEVEL });
  // Workflow, activity and SDK lines (the native core's too, forwarded) all leave as JSON through one logger.
  Runtime.install({
    logger: sdkLogger(logger),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN' } } },
  });
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // The catalog sync indexes photos for the photo search through this engine.
  const photoSearch = createPhotoSearch(config, prisma);
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    deps: activityDepsFromConfig(config, prisma, photoSearch),
  });
  const client = new Client({
    connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }),
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const schedule = await ensureProductSyncSchedule(client, config);
  // A new shop gets its catalog now rather than in six hours.
  if (schedule === 'created') await client.schedule.getHandle(PRODUCT_SYNC_SCHEDULE_ID).trigger();
  logger.info({ schedule: PRODUCT_SYNC_SCHEDULE_ID, outcome: schedule }, 'schedule ensured');
  await client.connection.close();
  logger.info({ taskQueue: TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'polling');
  await worker.run();
  await Promise.all([connection.close(), photoSearch.close()]);
  await prisma.$disconnect();
});
