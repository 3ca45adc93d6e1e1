import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { orderWorkflowId } from '../../common/contract';
import type { PrismaClient } from '../../db/client';
import type { KaspiEventTarget } from '../../orders/kaspi-events';
import { crmStatusSignal } from '../../workflows/messages';
import { isTrackingId } from '../../orders/tracking-id';
import { HttpError, parseOrThrow } from '../errors';
import { MAX_INT4, text } from '../order-request';
import { isAllowedPhotoUrl } from '../photo-urls';
import { checkSignedCallback, secretMatches } from '../secrets';
import { applyOnce } from '../webhook-events';

export interface WebhookDeps {
  temporal: Client;
  prisma: PrismaClient;
  webhookSecret: string;
  kaspiCallbackSecret: string;
  /** Where a Kaspi callback goes (orders/kaspi-events.ts). */
  routeKaspiEvent: (externalId: string, status: string) => Promise<KaspiEventTarget>;
  kaspiCallbackMaxAgeMs: number;
  /** Hosts the CRM's photo URLs may point at. */
  crmPhotoHosts: string[];
  /** Starts the one-product sync (catalog sync); answers the workflow id. */
  syncProduct?: (productId: number) => Promise<string>;
}

// The senders' payloads may carry fields we do not use: those are ignored, what we use is bounded.
const crmStatusSchema = z.object({
  order_id: z.coerce.number().int().min(1).max(MAX_INT4),
  status: text(8).min(1),
  changed_by_id: z.unknown().optional(),
  notes: text(2000, { multiline: true }).optional(),
  assembledImage: z.string().max(2000).url().optional(),
  railway_order_id: z.string().max(40).optional(),
});
const productUpdatedSchema = z.object({ product_id: z.coerce.number().int().min(1).max(MAX_INT4) });
const kaspiSchema = z.object({ externalId: text(100).min(1), status: text(40).min(1) });

/** A closed order takes no more signals: the event is recorded and there is nothing to apply. */
const ignoreClosed = (signal: Promise<void>): Promise<void> =>
  signal.catch((err: unknown) => {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  });

/** Webhooks become signals: checked, recorded once, then delivered to the order's workflow. */
export function webhookRoutes({
  temporal,
  prisma,
  webhookSecret,
  kaspiCallbackSecret,
  routeKaspiEvent,
  kaspiCallbackMaxAgeMs,
  crmPhotoHosts,
  syncProduct,
}: WebhookDeps): Router {
  const router = Router();
  const requireSecret = (req: Request) => {
    if (!secretMatches(req.header('X-Webhook-Secret'), webhookSecret))
      throw new HttpError(401, 'unauthorized', 'Wrong or missing X-Webhook-Secret');
  };

  router.post('/order-status-sync', async (req, res) => {
    requireSecret(req);
    const event = parseOrThrow(crmStatusSchema, req.body);
    if (event.assembledImage && !isAllowedPhotoUrl(event.assembledImage, crmPhotoHosts))
      throw new HttpError(400, 'invalid_request', 'assembledImage: only http(s) URLs of the allowed photo hosts');
    const order =
      (await prisma.order.findUnique({ where: { crmOrderId: event.order_id } })) ??
      (event.railway_order_id && isTrackingId(event.railway_order_id)
        ? await prisma.order.findUnique({ where: { trackingId: event.railway_order_id } })
        : null);
    if (!order) throw new HttpError(404, 'unknown_order', `No order with CRM id ${event.order_id}`);
    const outcome = await applyOnce(
      prisma,
      // Keyed on the photo too: the florist's second "assembled" with a new photo is news, not a repeat.
      { source: 'crm', eventKey: crmEventKey(event), payload: event },
      () =>
        ignoreClosed(
          temporal.workflow
            .getHandle(orderWorkflowId(order.trackingId))
            .signal(crmStatusSignal, { status: event.status, assembledImage: event.assembledImage }),
        ),
    );
    res.json({ ok: true, trackingId: order.trackingId, outcome });
  });

  router.post('/kaspi', async (req, res) => {
    const check = checkSignedCallback(
      (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0),
      { signature: req.header('X-Signature'), timestamp: req.header('X-Timestamp') },
      kaspiCallbackSecret,
      kaspiCallbackMaxAgeMs,
    );
    // Outside the window a captured callback is refused; inside it, a replay is a recorded duplicate.
    if (!check.ok) throw new HttpError(401, 'unauthorized', check.reason);
    const event = parseOrThrow(kaspiSchema, req.body);
    const target = await routeKaspiEvent(event.externalId, event.status);
    if (!target) {
      // Money on a request we do not know: kept (unapplied) for reconciliation, never dropped.
      await prisma.webhookEvent.createMany({
        data: [{ source: 'kaspi-unknown', eventKey: `${event.externalId}:${event.status}`, payload: event }],
        skipDuplicates: true,
      });
      res.status(202).json({ ok: true, outcome: 'unknown_payment' });
      return;
    }
    const outcome = await applyOnce(
      prisma,
      { source: 'kaspi', eventKey: `${event.externalId}:${event.status}`, payload: event },
      () => ignoreClosed(target.deliver()),
    );
    res.json({ ok: true, trackingId: target.trackingId, outcome });
  });

  router.post('/product-updated', async (req, res) => {
    requireSecret(req);
    const { product_id } = parseOrThrow(productUpdatedSchema, req.body);
    if (!syncProduct) throw new HttpError(503, 'not_available', 'Product sync is not running');
    res.status(202).json({ ok: true, workflowId: await syncProduct(product_id) });
  });

  return router;
}

/** `<order>:<status>`, and a digest of the photo when the event carries one (URLs may be long). */
function crmEventKey(event: { order_id: number; status: string; assembledImage?: string }): string {
  const photo = event.assembledImage && createHash('sha256').update(event.assembledImage).digest('hex').slice(0, 16);
  return photo ? `${event.order_id}:${event.status}:${photo}` : `${event.order_id}:${event.status}`;
}
