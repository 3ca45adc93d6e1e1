import express, { NextFunction, Request, Response } from 'express';
import got from 'got';
import { seedCatalog, StandinProduct } from './catalog';
import { FaultBook } from './faults';
import { productImageJpeg } from './images';
import { createProductionControl } from './production-control';
import { createProductionRoutes } from './production-routes';
import {
  CrmOrder,
  CrmStatus,
  KaspiPayment,
  ProductionChange,
  ProductionSnapshot,
  ProductionState,
} from './production-state';
import { listen, Timers } from './server';
import { StateFile } from './state-file';

/**
 * Stand-in for the shop's production API (Bitrix back office, `/api/v2`) with its Kaspi Pay proxy,
 * plus `/__control/*` routes for tests and rehearsals and the drawn product photos under `/static/products/`.
 */
export interface ProductionApiStandinOptions {
  port?: number;
  host?: string;
  token: string;
  /** Where CRM status webhooks go (our `/api/v1/webhooks/order-status-sync`). */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Where product-change announcements go (our `/api/v1/webhooks/product-updated`); none sent if unset. */
  productWebhookUrl?: string;
  /** The starting catalog, or a builder given the stand-in's origin (for image URLs); the seed catalog if omitted. */
  catalog?: StandinProduct[] | ((origin: string) => StandinProduct[]);
  /**
   * A JSON file holding the catalog, CRM orders, Kaspi payments and id counters: loaded at start, saved after
   * every change, so a restart resumes them and never hands an id out twice. In memory only when unset.
   */
  stateFile?: string;
}

export interface SentWebhook {
  url: string;
  payload: unknown;
  delivered: boolean;
  httpStatus?: number;
  error?: string;
  at: string;
}

export interface ProductionApiStandin {
  /** Origin, e.g. http://127.0.0.1:4010. */
  url: string;
  /** `${url}/api/v2`: what PRODUCTION_API_URL points at. */
  apiUrl: string;
  close(): Promise<void>;
  products(): StandinProduct[];
  orders(): CrmOrder[];
  payments(): KaspiPayment[];
  webhooks(): SentWebhook[];
  /** Same as `POST /__control/orders/:id/status`. */
  changeOrderStatus(crmOrderId: number, status: CrmStatus, options?: StatusChangeOptions): Promise<StatusChangeResult>;
  reset(): void;
}

export interface StatusChangeOptions {
  assembledImage?: string;
  /** false simulates a lost webhook. */
  webhook?: boolean;
  changedById?: number;
}

export interface StatusChangeResult {
  orderId: number;
  previousStatus: CrmStatus;
  status: CrmStatus;
  webhook: { sent: boolean; delivered: boolean; httpStatus?: number; error?: string };
}

const API_PREFIX = '/api/v2';

export async function createProductionApiStandin(opts: ProductionApiStandinOptions): Promise<ProductionApiStandin> {
  const app = express();
  app.set('etag', false);
  const timers = new Timers();
  const faults = new FaultBook(['down', 'lost', 'error500', 'slow', 'unavailable', 'empty'], (route, call) =>
    call.startsWith(route),
  );
  const webhooks: SentWebhook[] = [];
  let origin = '';
  let state = new ProductionState([]);

  async function postWebhook(url: string, payload: unknown): Promise<SentWebhook> {
    const sent: SentWebhook = { url, payload, delivered: false, at: new Date().toISOString() };
    try {
      const res = await got.post(url, {
        json: payload as Record<string, unknown>,
        headers: opts.webhookSecret ? { 'X-Webhook-Secret': opts.webhookSecret } : {},
        timeout: 5_000,
        retry: 0,
        throwHttpErrors: false,
      });
      sent.httpStatus = res.statusCode;
      sent.delivered = res.statusCode >= 200 && res.statusCode < 300;
    } catch (err) {
      sent.error = (err as Error).message;
    }
    webhooks.push(sent);
    return sent;
  }

  async function sendStatusWebhook(order: CrmOrder, from: CrmStatus, changedById: number, enabled: boolean) {
    if (!enabled || !opts.webhookUrl) return { sent: false, delivered: false };
    const payload = {
      order_id: order.orderId,
      status: order.status,
      changed_by_id: changedById,
      notes: `Status changed: ${from} → ${order.status}`,
      // The florist's photo rides with "assembled": a new photo is a new event, not a repeat.
      ...(order.status === 'CO' && order.assembledImage ? { assembledImage: order.assembledImage } : {}),
    };
    const { delivered, httpStatus, error } = await postWebhook(opts.webhookUrl, payload);
    return { sent: true, delivered, httpStatus, error };
  }

  async function changeOrderStatus(
    crmOrderId: number,
    status: CrmStatus,
    options: StatusChangeOptions = {},
  ): Promise<StatusChangeResult> {
    const order = state.findOrder(crmOrderId);
    if (!order) throw new Error(`CRM order ${crmOrderId} not found`);
    const previousStatus = state.setOrderStatus(order, status, 'control', options.assembledImage);
    const webhook = await sendStatusWebhook(
      order,
      previousStatus,
      options.changedById ?? 42,
      options.webhook !== false,
    );
    return { orderId: order.orderId, previousStatus, status, webhook };
  }

  // Injected faults apply to every route but the control ones, matched without the /api/v2 prefix.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/__control')) return next();
    const path = req.path.startsWith(API_PREFIX) ? req.path.slice(API_PREFIX.length) : req.path;
    const fault = faults.take(path.endsWith('/') ? path : `${path}/`);
    if (!fault) return next();
    switch (fault.mode) {
      case 'down':
        return req.socket.destroy();
      case 'error500':
        return res.status(500).type('html').send('<html><body><h1>500 Internal Server Error</h1></body></html>');
      case 'unavailable':
        if (path.startsWith('/paymentkaspi/')) {
          return res.json({ status: false, data: { errors: { '-999': 'Service unavailable' } } });
        }
        return res
          .status(503)
          .type('html')
          .send('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      case 'lost':
        // Processed as usual; the answer is dropped and the connection cut where it would have been sent.
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as Response['end'];
        return next();
      case 'empty':
        // The call is processed, but answers 200 with an empty body (the Kaspi refund quirk).
        res.json = () => res.status(200).end();
        return next();
      case 'slow':
        await timers.sleep(fault.delayMs);
        return next();
      default:
        return next();
    }
  });

  app.get('/static/products/:file', async (req: Request, res: Response) => {
    const match = /^(\d+)-(\d+)\.jpg$/.exec(String(req.params.file));
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 10) return res.status(404).type('text').send('Not Found');
    const jpeg = await productImageJpeg(Number(match[1]), Number(match[2]));
    res.type('image/jpeg').set('Cache-Control', 'public, max-age=86400').send(jpeg);
  });

  app.use(
    '/__control',
    createProductionControl({
      state: () => state,
      origin: () => origin,
      faults,
      webhooks,
      changeOrderStatus,
      postWebhook,
      statusWebhookUrl: opts.webhookUrl,
      productWebhookUrl: opts.productWebhookUrl,
      reset,
    }),
  );
  app.use(API_PREFIX, createProductionRoutes({ state: () => state, token: opts.token }));

  function reset(): void {
    state.reset();
    faults.clear();
    webhooks.length = 0;
  }

  const listening = await listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');
  origin = listening.url;
  const catalog = typeof opts.catalog === 'function' ? opts.catalog(origin) : (opts.catalog ?? seedCatalog(origin));
  const stateFile = opts.stateFile
    ? new StateFile<ProductionSnapshot, ProductionChange>(opts.stateFile, {
        snapshot: () => state.snapshot(origin),
        takeChanges: () => state.takeChanges(),
      })
    : undefined;
  state = new ProductionState(catalog, () => stateFile?.changed());
  try {
    stateFile?.resume((saved) => state.restore(saved, origin)); // the new snapshot has this run's origin
  } catch (err) {
    stateFile?.close();
    await listening.close();
    throw err;
  }

  return {
    url: origin,
    apiUrl: `${origin}${API_PREFIX}`,
    close: async () => {
      timers.stop();
      await listening.close();
      stateFile?.close();
    },
    products: () => state.products,
    orders: () => state.orders,
    payments: () => state.payments,
    webhooks: () => webhooks,
    changeOrderStatus,
    reset,
  };
}
