import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../common/config';
import { runMain } from '../common/run-main';
import { createPrisma } from '../db/client';
import { createApp } from './app';

/** The HTTP API process. */
runMain('api', async () => {
  const config = loadConfig();
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({
    temporal,
    prisma,
    settings: { paymentDeadlineMs: config.PAYMENT_DEADLINE, latePaymentWatchMs: config.LATE_PAYMENT_WATCH },
    webhookSecret: config.WEBHOOK_SECRET,
    kaspiCallbackSecret: config.KASPI_CALLBACK_SECRET,
  });
  const server = app.listen(config.API_PORT, () => console.log(`api: listening on http://127.0.0.1:${config.API_PORT}`));
  const stop = () => server.close(() => void Promise.all([connection.close(), prisma.$disconnect()]).then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
