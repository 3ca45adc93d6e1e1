import express, { type Request } from 'express';
import type { Client } from '@temporalio/client';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { OrderSettings } from '../common/order';
import type { PrismaClient } from '../db/client';
import { errorHandler, HttpError } from './errors';
import { healthRoutes } from './routes/health';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';
import { webhookRoutes, type WebhookDeps } from './routes/webhooks';

export interface AppDeps {
  temporal: Client;
  prisma: PrismaClient;
  settings: OrderSettings;
  webhookSecret: string;
  kaspiCallbackSecret: string;
  syncProduct?: WebhookDeps['syncProduct'];
  metrics?: Registry;
}

/** The HTTP API: thin handlers that read the database or talk to Temporal. */
export function createApp(deps: AppDeps): express.Express {
  const metrics = deps.metrics ?? new Registry();
  if (!deps.metrics) collectDefaultMetrics({ register: metrics });
  const app = express();
  app.disable('x-powered-by');
  // The raw body is kept for the Kaspi callback's HMAC signature.
  app.use(express.json({ limit: '1mb', verify: (req, _res, buf) => ((req as Request & { rawBody?: Buffer }).rawBody = buf) }));
  app.use(healthRoutes({ ...deps, metrics }));
  app.use('/api/v1/products', productRoutes(deps));
  app.use('/api/v1/orders', orderRoutes(deps));
  app.use('/api/v1/webhooks', webhookRoutes(deps));
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
