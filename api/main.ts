import { createProductSyncStarter } from '../common/catalog-sync-client';
import { loadConfig, orderSettingsFromConfig } from '../common/config';
import { runMain } from '../common/run-main';
import { connectTemporalClient } from '../common/temporal-connection';
import { createPrisma } from '../db/client';
import { createKaspiEventRouter } from '../orders/kaspi-events';
import { createOrderClient } from '../orders/order-client';
import { createSlots } from '../orders/slots';
import { fromPhotoSearch } from '../bot/photo-search-port';
import { startWebhookBot } from '../bot/webhook';
import { createPhotoSearch, servePhotoSearch } from '../search';
import { AesGcmPayloadCodec } from '../common/payload-codec';
import { createLogger, logProcessWarnings } from '../common/logging';
import { createApp } from './app';
import { createApiMetrics } from './metrics';
import { apiSettingsFromConfig } from './settings';

/** The HTTP API process. */
runMain('api', async () => {
  const config = loadConfig();
  const logger = createLogger('api', { level: config.LOG_LEVEL });
  logProcessWarnings(logger);
  const prisma = createPrisma(config.DATABASE_URL);
  const temporal = await connectTemporalClient(config); // payloads encrypted (common/payload-codec.ts)
  const { connection } = temporal;
  const photoSearch = createPhotoSearch(config, prisma);
  // The models load once, here: the worker and the polling bot call this engine over HTTP.
  const photoEngine = await servePhotoSearch(config, photoSearch);
  const settings = orderSettingsFromConfig(config);
  const metrics = createApiMetrics(prisma);
  const slots = createSlots({ prisma, rules: config.SLOT_CAPACITY, shopTimeZone: config.SHOP_TIMEZONE });
  const app = createApp({
    logger,
    metrics,
    temporal,
    prisma,
    codec: config.CODEC_OPERATOR_TOKEN
      ? {
          codec: new AesGcmPayloadCodec(config.PAYLOAD_KEYS),
          operatorToken: config.CODEC_OPERATOR_TOKEN,
          allowedOrigins: config.CODEC_CORS_ORIGINS,
        }
      : undefined,
    orders: createOrderClient({
      temporal,
      prisma,
      settings,
      phoneHashKey: config.PHONE_HASH_KEY,
      slots,
      updateTimeoutMs: config.ORDER_UPDATE_TIMEOUT,
      placeTimeoutMs: config.ORDER_PLACE_TIMEOUT,
      onLiveViewFailed: (trackingId, err) =>
        logger.warn({ trackingId, err: String(err), cause: String((err as Error).cause) }, 'live order view failed'),
    }),
    slots,
    routeKaspiEvent: createKaspiEventRouter({ temporal, prisma, settings }),
    webhookSecret: config.WEBHOOK_SECRET,
    kaspiCallbackSecret: config.KASPI_CALLBACK_SECRET,
    settings: apiSettingsFromConfig(config),
    syncProduct: createProductSyncStarter(temporal),
    // In webhook mode the bot lives in this process and shares its photo search.
    telegramWebhook:
      config.BOT_MODE === 'webhook'
        ? await startWebhookBot(config, prisma, temporal, {
            logger,
            searchByPhoto: fromPhotoSearch(photoSearch),
            photoSearchDuration: metrics.photoSearchDuration,
          })
        : undefined,
    photoSearch,
  });
  const server = app.listen(config.API_PORT, () => logger.info({ port: config.API_PORT }, 'listening'));
  const stop = () =>
    server.close(
      () =>
        void Promise.all([connection.close(), photoEngine?.close(), photoSearch.close(), prisma.$disconnect()]).then(
          () => process.exit(0),
        ),
    );
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
