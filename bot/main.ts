import { run } from '@grammyjs/runner';
import { loadConfig } from '../common/config';
import { runMain } from '../common/run-main';
import { connectTemporalClient } from '../common/temporal-connection';
import { createPrisma } from '../db/client';
import { connectPhotoSearch } from '../search';
import { registerCommands } from './commands';
import { createBot } from './create-bot';
import { botDepsFromConfig } from './deps';
import { fromPhotoSearch } from './photo-search-port';
import { schedulePruning } from './storage';

/** The bot process for local runs: long polling (in webhook mode the API process serves the bot). */
runMain('bot', async () => {
  const config = loadConfig();
  if (config.BOT_MODE === 'webhook') {
    console.log('bot: BOT_MODE=webhook, updates are served by the API at /telegram/webhook; nothing to do here');
    return;
  }
  const prisma = createPrisma(config.DATABASE_URL);
  const temporal = await connectTemporalClient(config); // payloads encrypted (common/payload-codec.ts)
  const { connection } = temporal;
  const photoSearch = connectPhotoSearch(config, prisma); // the API process's engine: no models here
  const deps = botDepsFromConfig(config, prisma, temporal, fromPhotoSearch(photoSearch));
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, deps);
  await bot.api.deleteWebhook();
  await registerCommands(bot.api);
  const stopPruning = schedulePruning(prisma, deps.config.retention);
  await bot.init();
  // Chats in parallel, each chat's updates in order (sequentialize in createBot).
  const runner = run(bot);
  console.log(`bot: @${bot.botInfo.username} polling ${config.TELEGRAM_API_ROOT}`);
  const stop = () => {
    stopPruning();
    void runner.stop().then(() => Promise.all([connection.close(), photoSearch.close(), prisma.$disconnect()]));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runner.task();
});
