import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { WebhookCounter } from '../common/metrics';

/** Webhook paths (under the app's root) and the `source` label each is counted under. */
const SOURCES: Record<string, string> = {
  '/api/v1/webhooks/order-status-sync': 'crm_status',
  '/api/v1/webhooks/product-updated': 'product',
  '/api/v1/webhooks/kaspi': 'kaspi',
  '/telegram/webhook': 'telegram',
};

/**
 * Counts every webhook once it is answered: `rejected` (4xx: bad secret or signature, bad body, limits),
 * `failed` (5xx: ours to fix, the sender retries), `duplicate` (recorded before, answered `outcome: duplicate`),
 * else `accepted`.
 */
export function countWebhooks(counter: WebhookCounter): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const source = req.method === 'POST' ? SOURCES[req.path.replace(/\/$/, '')] : undefined;
    if (!source) return next();
    let duplicate = false;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      duplicate = (body as { outcome?: unknown } | null)?.outcome === 'duplicate';
      return json(body);
    };
    res.once('finish', () => {
      const status = res.statusCode;
      const outcome = status >= 500 ? 'failed' : status >= 400 ? 'rejected' : duplicate ? 'duplicate' : 'accepted';
      counter.inc({ source, outcome });
    });
    next();
  };
}
