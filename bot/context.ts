import type { ConversationFlavor } from '@grammyjs/conversations';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context, SessionFlavor } from 'grammy';
import type { Logger } from '../common/logging';
import type { Language, OrderView } from '../common/order';
import type { PrismaClient } from '../db/client';
import type { OrderClient } from '../orders/order-client';
import type { Slots } from '../orders/slots';
import type { CatalogReader } from './catalog';
import type { SearchByPhoto } from './photo-search-port';

/** What the bot needs from configuration (see `botConfigFrom` in bot/config.ts). */
export interface BotConfig {
  /** Origin of the Bot API (Telegram or its stand-in); files are downloaded from `<apiRoot>/file/bot<token>/`. */
  apiRoot: string;
  shopTimeZone: string;
  /** Shown for pickup and "contact the shop"; hours as "09:00-21:00". */
  shop: { address: string; hours: string; phone: string };
  deliveryFeeKopecks: number;
  /** The shop's delivery slots, e.g. "10:00-12:00". */
  slots: string[];
  /** A checkout untouched for this long is abandoned. */
  checkoutTtlMs: number;
  /** Personal data is not kept for ever: sessions and unfinished checkouts untouched this long are deleted. */
  retention: { sessionMs: number; checkoutMs: number };
  /** Inbound flood limit per user. */
  rateLimit: { limit: number; windowMs: number };
}

export interface BotDeps {
  config: BotConfig;
  prisma: PrismaClient;
  orders: Pick<OrderClient, 'place' | 'status' | 'cancel'> & {
    /**
     * Withdraws the open Kaspi request (`afterAttempt`, the one the customer saw) and sends a new one to `phone`;
     * absent until the workflow supports it.
     */
    requestNewPayment?: (trackingId: string, phone: string, afterAttempt?: number) => Promise<OrderView>;
  } & Partial<Pick<OrderClient, 'answerApproval' | 'rate'>>;
  catalog: CatalogReader;
  /** Places left per slot: full slots and days are not offered; absent, every slot is. */
  slots?: Pick<Slots, 'loads'>;
  searchByPhoto: SearchByPhoto;
  /** The clock (injected so tests can age a checkout). */
  now: () => Date;
  /** JSON lines (common/logging.ts); what fails for a customer is logged here, never their messages. */
  logger: Logger;
}

export interface SessionData {
  language?: Language;
  /** The last text search, for paging through its cards. */
  searchQuery?: string;
}

export type BotContext = ConversationFlavor<Context & SessionFlavor<SessionData> & I18nFlavor & { deps: BotDeps }>;
