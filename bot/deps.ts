import type { Client } from '@temporalio/client';
import { orderSettingsFromConfig, type Config } from '../common/config';
import type { PrismaClient } from '../db/client';
import { createOrderClient } from '../orders/order-client';
import { createSlots } from '../orders/slots';
import { createCatalogReader } from './catalog';
import { botConfigFrom } from './config';
import type { BotDeps } from './context';
import type { Logger } from '../common/logging';
import type { PhotoSearchHistogram } from '../common/metrics';
import { noPhotoSearch, timedPhotoSearch, type SearchByPhoto } from './photo-search-port';

/**
 * The bot's dependencies from configuration and the hosting process's clients, logger and latency histogram
 * (bot/main.ts, or api/main.ts in webhook mode).
 */
export function botDepsFromConfig(
  config: Config,
  prisma: PrismaClient,
  temporal: Client,
  host: { logger: Logger; searchByPhoto?: SearchByPhoto; photoSearchDuration?: PhotoSearchHistogram },
): BotDeps {
  const slots = createSlots({ prisma, rules: config.SLOT_CAPACITY, shopTimeZone: config.SHOP_TIMEZONE });
  return {
    config: botConfigFrom(config),
    prisma,
    orders: createOrderClient({
      temporal,
      prisma,
      settings: orderSettingsFromConfig(config),
      phoneHashKey: config.PHONE_HASH_KEY,
      slots,
      updateTimeoutMs: config.ORDER_UPDATE_TIMEOUT,
      placeTimeoutMs: config.ORDER_PLACE_TIMEOUT,
      onLiveViewFailed: (trackingId, err) =>
        host.logger.warn(
          { trackingId, err: String(err), cause: String((err as Error).cause) },
          'live order view failed',
        ),
    }),
    slots,
    catalog: createCatalogReader(prisma),
    searchByPhoto: timedPhotoSearch(host.searchByPhoto ?? noPhotoSearch, host.photoSearchDuration),
    now: () => new Date(),
    logger: host.logger,
  };
}
