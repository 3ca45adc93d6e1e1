import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { createCodecRouter, type CodecRouterDeps } from './codec-routes';
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../db/client';
import type { OrderClient } from '../orders/order-client';
import type { Slots } from '../orders/slots';
import { identifyCaller } from './access';
import type { Logger } from '../common/logging';
import { errorHandler, HttpError } from './errors';
import { createApiMetrics, type ApiMetrics } from './metrics';
import { createRateLimits } from './rate-limits';
import { requestLog } from './request-log';
import { healthRoutes } from './routes/health';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';
import { searchByPhotoRoutes } from './routes/search-by-photo';
import { slotRoutes } from './routes/slots';
import { DEFAULT_API_SETTINGS, type ApiSettings } from './settings';
import type { PhotoSearch } from '../search/photo-search-port';
import { webhookRoutes, type WebhookDeps } from './routes/webhooks';
import { countWebhooks } from './webhook-metrics';

export interface AppDeps {
  temporal: Client;
  prisma: PrismaClient;
  orders: OrderClient;
  /** Delivery slot capacity (GET /api/v1/slots, PUT /api/v1/slots/:date/:slot). */
  slots: Slots;
  webhookSecret: string;
  kaspiCallbackSecret: string;
  /** Access rules and limits (api/settings.ts); the configuration's defaults where not given. */
  settings?: Partial<ApiSettings>;
  syncProduct?: WebhookDeps['syncProduct'];
  routeKaspiEvent: WebhookDeps['routeKaspiEvent'];
  /** The payload codec server for the Temporal Web UI (docs/operations.md); absent without an operator token. */
  codec?: CodecRouterDeps;
  /** The process's `/metrics` (api/metrics.ts); created here when not given. */
  metrics?: ApiMetrics;
  /** JSON lines (common/logging.ts): one per request (api/request-log.ts) and unexpected errors. */
  logger: Logger;
  /** The bot's webhook handler (BOT_MODE=webhook); it checks Telegram's secret-token header itself. */
  telegramWebhook?: RequestHandler;
  /** Photo search (search/createPhotoSearch); without it the search-by-photo route is absent. */
  photoSearch?: PhotoSearch;
}

/** Body size bounds: webhooks and orders are small; a Telegram update may carry a long message. */
const BODY_LIMITS = { webhooks: '16kb', telegram: '1mb', default: '32kb' };

/** The HTTP API: thin handlers that read the database or talk to Temporal. */
export function createApp(deps: AppDeps): express.Express {
  const settings: ApiSettings = { ...DEFAULT_API_SETTINGS, ...deps.settings };
  const metrics = deps.metrics ?? createApiMetrics(deps.prisma);
  const limits = createRateLimits(settings);
  const app = express();
  app.disable('x-powered-by');
  if (settings.trustProxyHops > 0) app.set('trust proxy', settings.trustProxyHops);
  app.use(requestLog(deps.logger));
  app.use(countWebhooks(metrics.webhooks));
  // The Web UI's codec endpoint: before helmet (its cross-origin policy would break the UI's calls) and the limits.
  if (deps.codec) app.use('/codec', createCodecRouter(deps.codec));
  app.use(helmet());

  const webhookPaths = ['/api/v1/webhooks', '/telegram/webhook'];
  const isWebhook = (req: Request) => webhookPaths.some((p) => req.path.startsWith(p));
  // Credentials are read first, so that trusted callers skip the limits; bad ones are refused after the
  // per-address limit has counted them (guessing keys is limited like anything else).
  app.use(identifyCaller(settings));
  app.use((req: Request, res: Response, next: NextFunction) =>
    isWebhook(req) ? limits.webhookFailures(req, res, next) : limits.perAddress(req, res, next),
  );
  app.use((_req: Request, res: Response, next: NextFunction) => next(res.locals.authError as HttpError | undefined));

  // The raw body is kept for the Kaspi callback's HMAC signature.
  app.use(
    '/api/v1/webhooks',
    express.json({
      limit: BODY_LIMITS.webhooks,
      verify: (req, _res, buf) => ((req as Request & { rawBody?: Buffer }).rawBody = buf),
    }),
  );
  app.use('/telegram/webhook', express.json({ limit: BODY_LIMITS.telegram }));
  app.use(express.json({ limit: BODY_LIMITS.default }));

  app.use(healthRoutes({ ...deps, metrics: metrics.registry }));
  if (deps.photoSearch)
    app.use(
      '/api/v1/products/search-by-photo',
      searchByPhotoRoutes({ photoSearch: deps.photoSearch, settings, duration: metrics.photoSearchDuration }),
    );
  app.use('/api/v1/products', productRoutes(deps));
  app.use('/api/v1/orders', orderRoutes({ ...deps, settings, limits }));
  app.use('/api/v1/slots', slotRoutes(deps));
  app.use(
    '/api/v1/webhooks',
    webhookRoutes({
      ...deps,
      kaspiCallbackMaxAgeMs: settings.kaspiCallbackMaxAgeMs,
      crmPhotoHosts: settings.crmPhotoHosts,
    }),
  );
  if (deps.telegramWebhook) app.post('/telegram/webhook', deps.telegramWebhook);
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}
