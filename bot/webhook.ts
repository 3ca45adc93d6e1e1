import type { RequestHandler } from 'express';
import { webhookCallback, type Bot } from 'grammy';
import type { Client } from '@temporalio/client';
import { ConfigError, type Config } from '../common/config';
import type { PrismaClient } from '../db/client';
import { registerCommands } from './commands';
import type { BotContext } from './context';
import { createBot } from './create-bot';
import { botDepsFromConfig } from './deps';
import { schedulePruning } from './storage';

export const WEBHOOK_PATH = '/telegram/webhook';

/**
 * Express handler for Telegram's webhook; requests without the secret-token header are refused with 401.
 * An update still being handled after `answerWithinMs` is answered 200 and finishes afterwards: an error or a
 * late answer would make Telegram send the same update again.
 */
export function telegramWebhook(bot: Bot<BotContext>, secretToken: string, answerWithinMs = 8_000): RequestHandler {
  return webhookCallback(bot, 'express', { secretToken, onTimeout: 'return', timeoutMilliseconds: answerWithinMs });
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
  host: Parameters<typeof botDepsFromConfig>[3],
): Promise<RequestHandler> {
  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) throw new ConfigError(['TELEGRAM_WEBHOOK_SECRET is missing (required when BOT_MODE=webhook)']);
  const deps = botDepsFromConfig(config, prisma, temporal, host);
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, deps);
  await registerWebhook(bot, config.PUBLIC_BASE_URL, secret);
  await registerCommands(bot.api);
  schedulePruning(prisma, deps.config.retention, host.logger);
  return telegramWebhook(bot, secret);
}
