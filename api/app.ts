import express, { type Request, type RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { PrismaClient } from '../db/client';
import type { OrderClient } from '../orders/order-client';
import { registerCatalogSyncMetrics } from './catalog-metrics';
import { registerOrderMetrics } from './order-metrics';
import { errorHandler, HttpError } from './errors';
import { healthRoutes } from './routes/health';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';
import { searchByPhotoRoutes } from './routes/search-by-photo';
import type { PhotoSearch } from '../search/photo-search-port';
import { webhookRoutes, type WebhookDeps } from './routes/webhooks';

export interface AppDeps {
  temporal: Client;
  prisma: PrismaClient;
  orders: OrderClient;
  webhookSecret: string;
  kaspiCallbackSecret: string;
  syncProduct?: WebhookDeps['syncProduct'];
  routeKaspiEvent: WebhookDeps['routeKaspiEvent'];
  metrics?: Registry;
  /** The bot's webhook handler (BOT_MODE=webhook); it checks Telegram's secret-token header itself. */
  telegramWebhook?: RequestHandler;
  /** Photo search (search/createPhotoSearch); without it the search-by-photo route is absent. */
  photoSearch?: PhotoSearch;
}

/** The HTTP API: thin handlers that read the database or talk to Temporal. */
export function createApp(deps: AppDeps): express.Express {
  const metrics = deps.metrics ?? new Registry();
  if (!deps.metrics) {
    collectDefaultMetrics({ register: metrics });
    registerCatalogSyncMetrics(metrics, deps.prisma);
    registerOrderMetrics(metrics, deps.prisma);
  }
  const app = express();
  app.disable('x-powered-by');
  // The raw body is kept for the Kaspi callback's HMAC signature.
  app.use(
    express.json({ limit: '1mb', verify: (req, _res, buf) => ((req as Request & { rawBody?: Buffer }).rawBody = buf) }),
  );
  app.use(healthRoutes({ ...deps, metrics }));
  if (deps.photoSearch)
    app.use('/api/v1/products/search-by-photo', searchByPhotoRoutes({ photoSearch: deps.photoSearch }));
  app.use('/api/v1/products', productRoutes(deps));
  app.use('/api/v1/orders', orderRoutes(deps));
  app.use('/api/v1/webhooks', webhookRoutes(deps));
  if (deps.telegramWebhook) app.post('/telegram/webhook', deps.telegramWebhook);
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
