import { Router, type Request } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { orderWorkflowId } from '../../common/contract';
import type { PrismaClient } from '../../db/client';
import type { KaspiEventTarget } from '../../orders/kaspi-events';
import { crmStatusSignal } from '../../workflows/messages';
import { HttpError, parseOrThrow } from '../errors';
import { secretMatches, signatureMatches } from '../secrets';
import { applyOnce } from '../webhook-events';

export interface WebhookDeps {
  temporal: Client;
  prisma: PrismaClient;
  webhookSecret: string;
  kaspiCallbackSecret: string;
  /** Where a Kaspi callback goes (orders/kaspi-events.ts). */
  routeKaspiEvent: (externalId: string, status: string) => Promise<KaspiEventTarget>;
  /** Starts the one-product sync (catalog sync); answers the workflow id. */
  syncProduct?: (productId: number) => Promise<string>;
}

const crmStatusSchema = z.object({
  order_id: z.coerce.number().int().positive(),
  status: z.string().min(1).max(8),
  changed_by_id: z.unknown().optional(),
  notes: z.string().optional(),
  assembledImage: z.string().url().optional(),
  railway_order_id: z.string().optional(),
});
const productUpdatedSchema = z.object({ product_id: z.coerce.number().int().positive() });
const kaspiSchema = z.object({ externalId: z.string().min(1), status: z.string().min(1) });

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
    const order =
      (await prisma.order.findUnique({ where: { crmOrderId: event.order_id } })) ??
      (event.railway_order_id
        ? await prisma.order.findUnique({ where: { trackingId: event.railway_order_id } })
        : null);
    if (!order) throw new HttpError(404, 'unknown_order', `No order with CRM id ${event.order_id}`);
    const outcome = await applyOnce(
      prisma,
      { source: 'crm', eventKey: `${event.order_id}:${event.status}`, payload: req.body as object },
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
    if (
      !signatureMatches(
        (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0),
        req.header('X-Signature'),
        kaspiCallbackSecret,
      )
    ) {
      throw new HttpError(401, 'unauthorized', 'Wrong or missing X-Signature');
    }
    const event = parseOrThrow(kaspiSchema, req.body);
    const target = await routeKaspiEvent(event.externalId, event.status);
    if (!target) {
      // Money on a request we do not know: kept for reconciliation, never dropped.
      await applyOnce(
        prisma,
        { source: 'kaspi-unknown', eventKey: `${event.externalId}:${event.status}`, payload: event },
        async () => undefined,
      );
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
