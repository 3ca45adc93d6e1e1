/**
 * Runs the stand-ins named in STANDIN_SERVICES (default: all): `tsx standins/main.ts`. Their state lives under
 * STANDIN_DATA_DIR (default .data/standins), so a restart resumes it.
 */
import path from 'node:path';
import { createProductionApiStandin } from './production-api';
import { startS3StandinFromEnv } from './s3';
import { createTelegramStandin } from './telegram';

async function main(): Promise<void> {
  const env = process.env;
  const wanted = (name: string) => !env.STANDIN_SERVICES || env.STANDIN_SERVICES.split(',').includes(name);
  const publicBaseUrl = (env.PUBLIC_BASE_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const host = env.STANDIN_HOST || '127.0.0.1';
  const dataDir = env.STANDIN_DATA_DIR || path.resolve(__dirname, '..', '.data', 'standins');
  const running: { close(): Promise<void> }[] = [];
  if (wanted('production')) {
    const production = await createProductionApiStandin({
      host,
      port: Number(env.STANDIN_PRODUCTION_PORT || 4010),
      token: env.PRODUCTION_API_TOKEN || 'standin-production-token',
      webhookUrl: `${publicBaseUrl}/api/v1/webhooks/order-status-sync`,
      productWebhookUrl: `${publicBaseUrl}/api/v1/webhooks/product-updated`,
      webhookSecret: env.WEBHOOK_SECRET,
      stateFile: path.join(dataDir, 'production.json'),
    });
    running.push(production);
    console.log(`Production API stand-in: ${production.apiUrl} (control: ${production.url}/__control)`);
  }
  if (wanted('telegram')) {
    const telegram = await createTelegramStandin({
      host,
      port: Number(env.STANDIN_TELEGRAM_PORT || 4020),
      token: env.TELEGRAM_BOT_TOKEN || '123456:standin-telegram-token-xxxxxxxx',
      stateFile: path.join(dataDir, 'telegram.json'),
    });
    running.push(telegram);
    console.log(`Telegram Bot API stand-in: ${telegram.url} (control: ${telegram.url}/__control)`);
  }
  if (wanted('s3')) running.push(await startS3StandinFromEnv(env));
  const stop = () => void Promise.all(running.map((s) => s.close())).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
