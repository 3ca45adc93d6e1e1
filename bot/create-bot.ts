import { telegramClientOptions } from '../common/telegram-client';
import { autoRetry } from '@grammyjs/auto-retry';
import { conversations, createConversation } from '@grammyjs/conversations';
import { sequentialize } from '@grammyjs/runner';
import { Bot, session, type Context } from 'grammy';
import { OrderBusyError } from '../orders/update-deadline';
import type { BotContext, BotDeps, SessionData } from './context';
import { CHECKOUT, createCheckout } from './conversations/checkout';
import { createCustomerWords, CUSTOMER_WORDS } from './conversations/customer-words';
import { createRepay, REPAY } from './conversations/repay';
import { catalogFeature } from './features/catalog';
import { checkoutFeature } from './features/checkout';
import { deliveryDayFeature } from './features/delivery-day';
import { helpFeature } from './features/help';
import { languageFeature } from './features/language';
import { ordersFeature } from './features/orders';
import { photoSearchFeature } from './features/photo-search';
import { searchFeature } from './features/search';
import { shopFeature } from './features/shop';
import { startFeature } from './features/start';
import { unhandledFeature } from './features/unhandled';
import { createI18n } from './i18n';
import { rateLimit } from './rate-limit';
import { describeError } from './redact';
import { PrismaStorage } from './storage';

// 429s wait out `retry_after`; 5xx and network errors are retried a few times before the update fails.
const retrying = () => autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 });

/** One chat's updates one at a time (sessions and conversations are read-modify-write); chats run in parallel. */
const perChat = (ctx: Context) => ctx.chat?.id.toString() ?? ctx.from?.id.toString();

/** The customer's bot: features in order, sessions and checkouts kept in PostgreSQL, errors contained. */
export function createBot(token: string, deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(token, { client: telegramClientOptions(deps.config.apiRoot) });
  bot.api.config.use(retrying());
  const i18n = createI18n();

  bot.use(sequentialize(perChat));
  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    await next();
  });
  bot.use(
    rateLimit(deps.config.rateLimit, (ctx) =>
      ctx.reply(i18n.t(ctx.from?.language_code === 'kk' ? 'kk' : 'ru', 'rate-limited')),
    ),
  );
  bot.use(
    session({ initial: (): SessionData => ({}), storage: new PrismaStorage<SessionData>(deps.prisma, 'session:') }),
  );
  bot.use(i18n);

  // Everything the customer can trigger, conversations included, answers them when it fails.
  const features = bot.errorBoundary(async ({ error, ctx }) => {
    if (error instanceof OrderBusyError) {
      // No worker took the change in time: nothing is broken, the customer just tries again shortly.
      deps.logger.warn({ updateId: ctx.update.update_id, trackingId: error.trackingId }, 'bot: order busy');
      return void (await ctx.reply(ctx.t('order-busy', { trackingId: error.trackingId })).catch(() => undefined));
    }
    deps.logger.error({ updateId: ctx.update.update_id, error: describeError(error) }, 'bot: update failed');
    await ctx.reply(ctx.t('error-generic')).catch(() => undefined);
  });
  features.use(
    conversations<BotContext, Context>({
      storage: { type: 'key', version: 1, prefix: 'conversation:', adapter: new PrismaStorage(deps.prisma, '') },
      // Calls made inside a conversation use their own Api object: give it the same retries.
      plugins: [
        async (ctx, next) => {
          ctx.api.config.use(retrying());
          await next();
        },
      ],
    }),
  );
  features.use(createConversation(createCheckout(deps, i18n), CHECKOUT));
  features.use(createConversation(createRepay(deps, i18n), REPAY));
  features.use(createConversation(createCustomerWords(deps, i18n), CUSTOMER_WORDS));
  features.use(startFeature, languageFeature, helpFeature, ordersFeature, deliveryDayFeature, shopFeature);
  features.use(photoSearchFeature);
  features.use(catalogFeature, checkoutFeature, searchFeature, unhandledFeature);

  bot.catch(({ error, ctx }) =>
    deps.logger.error(
      { updateId: ctx.update.update_id, error: describeError(error) },
      'bot: update failed outside a feature',
    ),
  );
  return bot;
}
