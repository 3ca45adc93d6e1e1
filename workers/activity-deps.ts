import { Api } from 'grammy';
import type { ActivityDeps } from '../activities';
import { photoStorageFromConfig } from '../activities/photo-storage';
import { createProductionApi } from '../activities/production-api';
import type { Config } from '../common/config';
import { telegramClientOptions } from '../common/telegram-client';
import type { PrismaClient } from '../db/client';
import type { PhotoIndex } from '../search/photo-index-port';

/** Real clients for the activities, from the validated configuration. */
export function activityDepsFromConfig(config: Config, prisma: PrismaClient, photoIndex?: PhotoIndex): ActivityDeps {
  return {
    prisma,
    production: createProductionApi({
      baseUrl: config.PRODUCTION_API_URL,
      token: config.PRODUCTION_API_TOKEN,
      cityId: config.CITY_ID,
    }),
    telegram: new Api(config.TELEGRAM_BOT_TOKEN, telegramClientOptions(config.TELEGRAM_API_ROOT)),
    deliveryFeeKopecks: config.DELIVERY_FEE_TENGE * 100,
    maxOrderTotalKopecks: config.ORDER_MAX_TOTAL_TENGE * 100,
    shopTimeZone: config.SHOP_TIMEZONE,
    photoStorage: photoStorageFromConfig(config),
    photoIndex,
  };
}
