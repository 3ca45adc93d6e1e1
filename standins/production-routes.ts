import express, { NextFunction, Request, Response, Router } from 'express';
import { formatTenge } from './catalog';
import { z } from 'zod';
import {
  CRM_STATUSES,
  CrmOrder,
  CrmStatus,
  customerApprovalBody,
  orderCreateBody,
  ProductionState,
  ratingBody,
} from './production-state';

/**
 * The `/api/v2` routes in the shop's own shapes: reads answer `{success, data}`, writes `{status, ...}`,
 * the Kaspi proxy `{status, data}` with numeric error codes; amounts arrive in tiyn and leave in tenge.
 */
interface Deps {
  state: () => ProductionState;
  token: string;
}

const first = (value: unknown): string | undefined =>
  Array.isArray(value) ? first(value[0]) : typeof value === 'string' ? value : undefined;

const readError = (res: Response, status: number, code: string, message: string) =>
  res.status(status).json({ success: false, error: { code, message } });
const writeError = (res: Response, status: number, error: string) => res.status(status).json({ status: false, error });
const kaspiError = (res: Response, code: string, message: string) =>
  res.json({ status: false, data: { errors: { [code]: message } } });

/** Order detail as `/orders/detail/` shows it. */
function orderDetail(order: CrmOrder) {
  const r = order.request;
  return {
    id: order.orderId,
    number: order.accountNumber,
    xmlId: order.railwayOrderId,
    status_key: order.status,
    paymentAmount: formatTenge(r.total_price / 100),
    customerPhone: r.customer_phone,
    pickup: r.pickup,
    recipient: { name: r.recipient_name ?? null, phone: r.recipient_phone ?? null },
    deliveryAddress: r.delivery_address ?? null,
    deliveryDate: r.delivery_date ?? null,
    deliveryTime: r.delivery_time ?? null,
    notes: r.notes ?? null,
    items: r.items.map((i) => ({
      productId: i.product_id,
      name: i.name ?? null,
      quantity: i.quantity,
      price: i.price / 100,
    })),
    createdAt: order.createdAt,
    raw: { statusId: order.status, isPayed: order.isPayed, assembledImage: order.assembledImage },
  };
}

export function createProductionRoutes({ state, token }: Deps): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: true }));

  router.use((req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if ((first(req.query.access_token) ?? bearer) === token) return next();
    if (req.path.startsWith('/paymentkaspi/') || req.method !== 'GET') return writeError(res, 401, 'Unauthorized');
    return readError(res, 401, 'unauthorized', 'Invalid or missing access token');
  });

  router.get('/products/', (req: Request, res: Response) => {
    const type = first(req.query.type);
    if (type !== undefined && type !== 'vitrina' && type !== 'catalog') {
      return readError(res, 400, 'bad_request', 'type must be vitrina or catalog');
    }
    const available = first(req.query.isAvailable);
    const search = first(req.query.search)?.trim().toLowerCase();
    const limitAsked = Number(first(req.query.limit) ?? 20);
    const limit = Number.isFinite(limitAsked) ? Math.min(100, Math.max(1, Math.trunc(limitAsked))) : 20;
    const offsetAsked = Number(first(req.query.offset) ?? 0);
    const offset = Number.isFinite(offsetAsked) ? Math.max(0, Math.trunc(offsetAsked)) : 0;
    const matching = state().products.filter(
      (p) =>
        (!type || p.type === type) &&
        (available === undefined || String(p.isAvailable) === available) &&
        (!search || `${p.title} ${p.composition ?? ''}`.toLowerCase().includes(search)),
    );
    res.json({
      success: true,
      data: matching.slice(offset, offset + limit),
      pagination: { total: matching.length, limit, offset, hasMore: offset + limit < matching.length },
    });
  });

  router.get('/products/detail/', (req: Request, res: Response) => {
    const id = Number(first(req.query.id));
    if (!Number.isInteger(id)) return readError(res, 400, 'bad_request', 'id is required');
    const product = state().products.find((p) => p.id === id);
    if (!product) return readError(res, 404, 'not_found', `Product ${id} not found`);
    res.json({ success: true, data: product });
  });

  router.post('/orders/create/', (req: Request, res: Response) => {
    const parsed = orderCreateBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return writeError(res, 400, `${issue.path.join('.')}: ${issue.message}`);
    }
    const body = parsed.data;
    if (body.pickup === 'N' && !body.recipient_name?.trim()) {
      return writeError(res, 400, 'recipient_name is required for delivery (pickup=N)');
    }
    if (body.pickup === 'N' && !body.delivery_address?.trim()) {
      return writeError(res, 400, 'delivery_address is required for delivery (pickup=N)');
    }
    const { order, duplicate } = state().createOrder(body);
    res.json({
      status: true,
      order_id: order.orderId,
      account_number: order.accountNumber,
      xml_id: order.railwayOrderId,
      price: order.request.total_price / 100,
      delivery_price: order.request.delivery_fee / 100,
      pickup: order.request.pickup,
      ...(duplicate ? { duplicate: true } : {}),
    });
  });

  router.get('/orders/detail/', (req: Request, res: Response) => {
    const id = Number(first(req.query.id));
    if (!Number.isInteger(id)) return readError(res, 400, 'bad_request', 'id is required');
    const order = state().findOrder(id);
    if (!order) return readError(res, 404, 'not_found', `Order ${id} not found`);
    res.json({ success: true, data: orderDetail(order) });
  });

  router.post('/order/change-status/', (req: Request, res: Response) => {
    const id = Number(req.body?.id);
    const status = String(req.body?.status ?? '') as CrmStatus;
    if (!CRM_STATUSES.includes(status)) return writeError(res, 400, `Unknown status: ${status}`);
    const order = state().findOrder(id);
    if (!order) return writeError(res, 404, `Order ${req.body?.id} not found`);
    if (status === 'DE' && state().approvalPending(order))
      return writeError(res, 409, 'The customer has not approved the bouquet yet');
    const previous = state().setOrderStatus(order, status, 'api');
    res.json({ status: true, order_id: order.orderId, old_status: previous, new_status: status });
  });

  router.post('/order/customer-approval/', (req: Request, res: Response) => {
    const body = parseWrite(customerApprovalBody, req, res);
    const order = body && found(body.id, res);
    if (!body || !order) return;
    const { key, decision, photo_url: photoUrl, comment } = body;
    const duplicate = state().addApproval(order, { key, decision, photoUrl, comment });
    res.json({ status: true, order_id: order.orderId, decision, ...(duplicate ? { duplicate: true } : {}) });
  });

  router.post('/order/rating/', (req: Request, res: Response) => {
    const body = parseWrite(ratingBody, req, res);
    const order = body && found(body.id, res);
    if (!body || !order) return;
    const duplicate = state().setRating(order, { key: body.key, stars: body.stars, comment: body.comment });
    if (duplicate === null) return writeError(res, 409, `Order ${order.orderId} is rated already`);
    res.json({ status: true, order_id: order.orderId, ...(duplicate ? { duplicate: true } : {}) });
  });

  function parseWrite<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
    const parsed = schema.safeParse(req.body ?? {});
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    writeError(res, 400, `${issue.path.join('.')}: ${issue.message}`);
    return undefined;
  }
  function found(id: number, res: Response) {
    const order = state().findOrder(id);
    if (!order) writeError(res, 404, `Order ${id} not found`);
    return order;
  }

  router.get('/paymentkaspi/create/', (req: Request, res: Response) => {
    const phone = first(req.query.phone) ?? '';
    const amount = Number(first(req.query.amount));
    if (!/^7\d{10}$/.test(phone)) return kaspiError(res, '-1501', 'Invalid phone number');
    if (!Number.isFinite(amount) || amount <= 0) return kaspiError(res, '-1502', 'Invalid amount');
    const payment = state().createPayment(phone, amount, first(req.query.message) ?? '');
    res.json({ status: true, data: { externalId: payment.externalId, status: payment.status } });
  });

  router.get('/paymentkaspi/status/', (req: Request, res: Response) => {
    const payment = state().findPayment(first(req.query.externalId) ?? '');
    if (!payment) return kaspiError(res, '-1601', 'Purchase not found');
    res.json({ status: true, data: { externalId: payment.externalId, status: payment.status } });
  });

  router.get('/paymentkaspi/refund/', (req: Request, res: Response) => {
    const payment = state().findPayment(first(req.query.externalId) ?? '');
    if (!payment) return kaspiError(res, '-1601', 'Purchase not found');
    if (payment.status !== 'Processed') return kaspiError(res, '-1602', 'Purchase is not paid');
    const left = payment.amount - payment.refundedTotal;
    const amount = first(req.query.amount) === undefined ? left : Number(first(req.query.amount));
    if (!Number.isFinite(amount) || amount <= 0) return kaspiError(res, '-1502', 'Invalid amount');
    if (amount > left) return kaspiError(res, '-99000005', 'Refund amount is larger than the paid amount');
    const refund = state().refund(payment, amount);
    res.json({
      status: true,
      data: { externalId: payment.externalId, returnOperationId: refund.returnOperationId, refundedAmount: amount },
    });
  });

  router.use((req: Request, res: Response) => readError(res, 404, 'not_found', `No route ${req.method} ${req.path}`));
  // Unparseable bodies and other thrown errors, in the write envelope (bodies only come with writes).
  router.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    writeError(res, err.status && err.status < 500 ? err.status : 500, err.message);
  });
  return router;
}
