import express, { Request, Response, Router } from 'express';
import { z } from 'zod';
import { fail, mountCommonControl } from './control-common';
import { FaultBook } from './faults';
import type { SentWebhook, StatusChangeOptions, StatusChangeResult } from './production-api';
import {
  CatalogChange,
  completeProduct,
  CRM_STATUSES,
  CrmStatus,
  KASPI_STATUSES,
  ProductionState,
} from './production-state';

/** `/__control/*` of the production API stand-in: drive the CRM, the customer's Kaspi app and the catalog. */
interface Deps {
  state: () => ProductionState;
  origin: () => string;
  faults: FaultBook;
  webhooks: SentWebhook[];
  changeOrderStatus(id: number, status: CrmStatus, options: StatusChangeOptions): Promise<StatusChangeResult>;
  postWebhook(url: string, payload: unknown): Promise<SentWebhook>;
  statusWebhookUrl?: string;
  productWebhookUrl?: string;
  reset(): void;
}

const statusChange = z.object({
  status: z.enum(CRM_STATUSES),
  assembledImage: z.string().url().optional(),
  webhook: z.boolean().optional(),
  changedById: z.number().int().optional(),
});
const webhookReplay = z.object({ status: z.enum(CRM_STATUSES).optional(), notes: z.string().optional() });
const paymentChange = z.object({ status: z.enum(KASPI_STATUSES) });
const product = z.looseObject({ id: z.number().int().positive() });
const catalogChange = z.object({
  replace: z.array(product).optional(),
  upsert: z.array(product).optional(),
  remove: z.array(z.number().int()).optional(),
  webhook: z.boolean().optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown, res: Response): T | undefined {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  fail(res, 400, 'invalid_body', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return undefined;
}

export function createProductionControl(deps: Deps): Router {
  const { state, faults } = deps;
  const router = Router();
  router.use(express.json({ limit: '5mb' }));

  // ?railwayOrderId= finds the CRM order of one of our orders, as a florist looks it up by our tracking id.
  router.get('/orders', (req: Request, res: Response) => {
    const { railwayOrderId } = req.query;
    res.json(railwayOrderId ? state().orders.filter((o) => o.railwayOrderId === railwayOrderId) : state().orders);
  });

  router.post('/orders/:crmOrderId/status', async (req: Request, res: Response) => {
    const id = Number(req.params.crmOrderId);
    if (!state().findOrder(id))
      return fail(res, 404, 'not_found', `CRM order ${String(req.params.crmOrderId)} not found`);
    const body = parse(statusChange, req.body, res);
    if (!body) return;
    // The florists' screen does not let the courier leave before the customer's answer (or its timeout).
    if (body.status === 'DE' && state().approvalPending(state().findOrder(id)!))
      return fail(res, 409, 'approval_pending', 'the customer has not approved the bouquet yet');
    res.json(await deps.changeOrderStatus(id, body.status, body));
  });

  // Sends a status webhook without changing anything: repeated or out-of-order deliveries.
  router.post('/orders/:crmOrderId/webhook', async (req: Request, res: Response) => {
    const order = state().findOrder(Number(req.params.crmOrderId));
    if (!order) return fail(res, 404, 'not_found', `CRM order ${String(req.params.crmOrderId)} not found`);
    const body = parse(webhookReplay, req.body, res);
    if (!body) return;
    if (!deps.statusWebhookUrl) return fail(res, 409, 'no_webhook_url', 'the stand-in was started without webhookUrl');
    const status = body.status ?? order.status;
    const sent = await deps.postWebhook(deps.statusWebhookUrl, {
      order_id: order.orderId,
      status,
      changed_by_id: 42,
      notes: body.notes ?? `Status changed: ${order.history.at(-2)?.status ?? 'N'} → ${status}`,
    });
    res.json(sent);
  });

  // ?phone= lists the bills sent to one number, as the customer sees them in the Kaspi app.
  router.get('/payments', (req: Request, res: Response) => {
    const { phone } = req.query;
    res.json(phone ? state().payments.filter((p) => p.phone === phone) : state().payments);
  });

  router.post('/payments/:externalId', (req: Request, res: Response) => {
    const payment = state().findPayment(String(req.params.externalId));
    if (!payment) return fail(res, 404, 'not_found', `payment ${String(req.params.externalId)} not found`);
    const body = parse(paymentChange, req.body, res);
    if (!body) return;
    state().setPaymentStatus(payment, body.status);
    res.json(payment);
  });

  router.get('/products', (_req: Request, res: Response) => res.json(state().products));

  router.post('/products', async (req: Request, res: Response) => {
    const body = parse(catalogChange, req.body, res);
    if (!body) return;
    const s = state();
    s.editCatalog(body as CatalogChange, (p) => completeProduct(p, deps.origin()));

    // Edits of single products are announced like the shop's CRM does; a whole replacement is not.
    const changed = [...new Set([...(body.upsert ?? []).map((p) => p.id), ...(body.remove ?? [])])];
    const url = deps.productWebhookUrl;
    const webhooks =
      url && body.webhook !== false
        ? await Promise.all(changed.map((id) => deps.postWebhook(url, { product_id: id })))
        : [];
    res.json({ total: s.products.length, changed, webhooks });
  });

  router.get('/webhooks', (_req: Request, res: Response) => res.json(deps.webhooks));

  return mountCommonControl(router, faults, () => deps.reset());
}
