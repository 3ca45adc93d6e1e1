import { run } from '@grammyjs/runner';
import { Registry } from 'prom-client';
import { loadConfig } from '../common/config';
import { createLogger, logProcessWarnings } from '../common/logging';
import { photoSearchHistogram, withProcessMetrics } from '../common/metrics';
import { runMain } from '../common/run-main';
import { connectTemporalClient } from '../common/temporal-connection';
import { createPrisma } from '../db/client';
import { connectPhotoSearch } from '../search';
import { registerCommands } from './commands';
import { createBot } from './create-bot';
import { botDepsFromConfig } from './deps';
import { startMetricsServer } from './metrics-server';
import { fromPhotoSearch } from './photo-search-port';
import { schedulePruning } from './storage';

/** The bot process for local runs: long polling (in webhook mode the API process serves the bot). */
runMain('bot', async () => {
  const config = loadConfig();
  const logger = createLogger('bot', { level: config.LOG_LEVEL });
  logProcessWarnings(logger);
  if (config.BOT_MODE === 'webhook') {
    logger.info('BOT_MODE=webhook, updates are served by the API at /telegram/webhook; nothing to do here');
    return;
  }
  const prisma = createPrisma(config.DATABASE_URL);
  const temporal = await connectTemporalClient(config); // payloads encrypted (common/payload-codec.ts)
  const { connection } = temporal;
  const photoSearch = connectPhotoSearch(config, prisma); // the API process's engine: no models here
  const { registry } = withProcessMetrics({ registry: new Registry() });
  const photoSearchDuration = photoSearchHistogram(registry);
  const searchByPhoto = fromPhotoSearch(photoSearch);
  const deps = botDepsFromConfig(config, prisma, temporal, { logger, searchByPhoto, photoSearchDuration });
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, deps);
  await bot.api.deleteWebhook();
  await registerCommands(bot.api);
  const stopPruning = schedulePruning(prisma, deps.config.retention, logger);
  const { BOT_LISTEN_HOST: host, BOT_METRICS_PORT: port } = config;
  const metricsServer = await startMetricsServer(registry, { host, port });
  await bot.init();
  // Chats in parallel, each chat's updates in order (sequentialize in createBot).
  const runner = run(bot);
  logger.info(
    { bot: bot.botInfo.username, apiRoot: config.TELEGRAM_API_ROOT, metrics: `http://${host}:${port}/metrics` },
    'polling',
  );
  const stop = () => {
    stopPruning();
    metricsServer.close();
    void runner.stop().then(() => Promise.all([connection.close(), photoSearch.close(), prisma.$disconnect()]));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runner.task();
});
