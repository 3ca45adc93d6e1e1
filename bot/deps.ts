import type { Client } from '@temporalio/client';
import { orderSettingsFromConfig, type Config } from '../common/config';
import type { PrismaClient } from '../db/client';
import { createOrderClient } from '../orders/order-client';
import { createSlots } from '../orders/slots';
import { createCatalogReader } from './catalog';
import { botConfigFrom } from './config';
import type { BotDeps } from './context';
import { noPhotoSearch, type SearchByPhoto } from './photo-search-port';

/** The bot's dependencies from configuration and the process's clients (for bot/main.ts and api/main.ts). */
export function botDepsFromConfig(
  config: Config,
  prisma: PrismaClient,
  temporal: Client,
  searchByPhoto: SearchByPhoto = noPhotoSearch,
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
    }),
    slots,
    catalog: createCatalogReader(prisma),
    searchByPhoto,
    now: () => new Date(),
  };
}
