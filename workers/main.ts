import { NativeConnection, Worker } from '@temporalio/worker';
import { createOrderActivities } from '../activities';
import { loadConfig } from '../common/config';
import { TASK_QUEUE } from '../common/contract';
import { runMain } from '../common/run-main';
import { createPrisma } from '../db/client';
import { activityDepsFromConfig } from './activity-deps';

/** The worker of the `orders` task queue: order workflows and all their activities. */
runMain('worker', async () => {
  const config = loadConfig();
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createOrderActivities(activityDepsFromConfig(config, prisma)),
  });
  console.log(`worker: polling task queue "${TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}`);
  await worker.run();
  await connection.close();
  await prisma.$disconnect();
});
