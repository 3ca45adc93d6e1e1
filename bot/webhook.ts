import type { RequestHandler } from 'express';
import { webhookCallback, type Bot } from 'grammy';
import type { Client } from '@temporalio/client';
import { ConfigError, type Config } from '../common/config';
import type { PrismaClient } from '../db/client';
import type { BotContext } from './context';
import { createBot } from './create-bot';
import { botDepsFromConfig } from './deps';
import type { SearchByPhoto } from './photo-search-port';

export const WEBHOOK_PATH = '/telegram/webhook';

/** Express handler for Telegram's webhook; requests without the secret-token header are refused with 401. */
export function telegramWebhook(bot: Bot<BotContext>, secretToken: string): RequestHandler {
  return webhookCallback(bot, 'express', { secretToken });
}

/** Points Telegram at `<publicBaseUrl>/telegram/webhook` with the secret token. */
export async function registerWebhook(bot: Bot<BotContext>, publicBaseUrl: string, secretToken: string): Promise<void> {
  await bot.api.setWebhook(`${publicBaseUrl.replace(/\/$/, '')}${WEBHOOK_PATH}`, { secret_token: secretToken });
}

/** Webhook mode inside the API process: the bot, registered with Telegram, as an Express handler. */
export async function startWebhookBot(
  config: Config,
  prisma: PrismaClient,
  temporal: Client,
  searchByPhoto?: SearchByPhoto,
): Promise<RequestHandler> {
  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) throw new ConfigError(['TELEGRAM_WEBHOOK_SECRET is missing (required when BOT_MODE=webhook)']);
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, botDepsFromConfig(config, prisma, temporal, searchByPhoto));
  await registerWebhook(bot, config.PUBLIC_BASE_URL, secret);
  return telegramWebhook(bot, secret);
}
