import { loadConfig } from '../common/config';
import { runMain } from '../common/run-main';
import { connectTemporalClient } from '../common/temporal-connection';
import { createPrisma } from '../db/client';
import { createPhotoSearch } from '../search';
import { createBot } from './create-bot';
import { botDepsFromConfig } from './deps';
import { fromPhotoSearch } from './photo-search-port';

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
  const photoSearch = createPhotoSearch(config, prisma);
  const bot = createBot(
    config.TELEGRAM_BOT_TOKEN,
    botDepsFromConfig(config, prisma, temporal, fromPhotoSearch(photoSearch)),
  );
  await bot.api.deleteWebhook();
  const stop = () =>
    void bot.stop().then(() => Promise.all([connection.close(), photoSearch.close(), prisma.$disconnect()]));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await bot.start({ onStart: (me) => console.log(`bot: @${me.username} polling ${config.TELEGRAM_API_ROOT}`) });
});
