import { Router, type NextFunction, type Request, type Response } from 'express';
import type { OrderRequest, OrderView } from '../../common/order';
import type { PrismaClient } from '../../db/client';
import type { OrderClient } from '../../orders/order-client';
import { isTrackingId } from '../../orders/tracking-id';
import { allowed, callerOf, requireAllowed, type Caller } from '../access';
import { HttpError, parseOrThrow } from '../errors';
import { checkOrderLimits } from '../order-limits';
import { cancelRequestSchema, orderRequestSchema } from '../order-request';
import { maskedView, orderSummary } from '../order-view';
import type { createRateLimits } from '../rate-limits';
import { secretMatches } from '../secrets';
import type { ApiSettings } from '../settings';
import { toHttpError } from '../temporal-errors';

export interface OrderRouteDeps {
  orders: OrderClient;
  prisma: PrismaClient;
  settings: ApiSettings;
  limits: ReturnType<typeof createRateLimits>;
}

/** A Telegram identity on the order only for a trusted caller, or for the proven Telegram user themself. */
function withIdentity(request: OrderRequest, caller: Caller): OrderRequest {
  const { telegramUserId, telegramChatId } = request.customer;
  if (caller.kind === 'telegram') {
    // A Mini App's user: the order is theirs, and their private chat has their id.
    for (const id of [telegramUserId, telegramChatId])
      if (id !== undefined) requireAllowed(caller, 'attachTelegramIdentity', { ownerTelegramUserId: id });
    return {
      ...request,
      customer: { ...request.customer, telegramUserId: caller.userId, telegramChatId: caller.userId },
    };
  }
  if (telegramUserId !== undefined || telegramChatId !== undefined) requireAllowed(caller, 'attachTelegramIdentity');
  return request;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Orders: start the workflow and read or change its live state; no activity runs here. */
export function orderRoutes({ orders, prisma, settings, limits }: OrderRouteDeps): Router {
  const router = Router();

  const trackingId = (req: Request): string => {
    const id = String(req.params.trackingId);
    if (!isTrackingId(id))
      throw new HttpError(400, 'invalid_request', 'trackingId: not a tracking id (CV + 10 characters)');
    return id;
  };
  // The running order's view knows its owner at once; older runs and closed orders answer from the database.
  const ownerOf = async (id: string, view: OrderView): Promise<number | undefined> => {
    if (view.customer.telegramUserId !== undefined) return view.customer.telegramUserId;
    const row = await prisma.order.findUnique({
      where: { trackingId: id },
      select: { customer: { select: { telegramUserId: true } } },
    });
    const owner = row?.customer?.telegramUserId;
    return owner === undefined || owner === null ? undefined : Number(owner);
  };

  const parseOrder = async (req: Request, res: Response, next: NextFunction) => {
    const caller = callerOf(res);
    const idempotencyKey = req.header('Idempotency-Key');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw new HttpError(400, 'invalid_request', 'Idempotency-Key: 1-200 visible ASCII characters');
    const request = withIdentity(parseOrThrow(orderRequestSchema, req.body), caller);
    res.locals.order = await checkOrderLimits(request, settings, prisma);
    next();
  };

  router.post('/', limits.ordersPerAddress, parseOrder, limits.ordersPerPhone, async (req, res) => {
    const caller = callerOf(res);
    const scope = caller.kind === 'trusted' ? `key:${caller.keyId}` : undefined;
    const { view, created } = await orders
      .place(res.locals.order as OrderRequest, req.header('Idempotency-Key'), scope)
      .catch(toHttpError);
    res.status(created ? 201 : 200).json(orderSummary(view));
  });

  /** The full view for a trusted caller and for the order's own Telegram user; the masked one for anyone else. */
  const seesFullView = async (caller: Caller, id: string, view: OrderView) =>
    allowed(caller, 'readOrderFull', {
      ownerTelegramUserId: caller.kind === 'telegram' ? await ownerOf(id, view) : undefined,
    });

  router.get('/:trackingId', async (req, res) => {
    const id = trackingId(req);
    const caller = callerOf(res);
    const view = await orders.status(id).catch(toHttpError);
    res.json((await seesFullView(caller, id, view)) ? view : maskedView(view));
  });

  router.post('/:trackingId/cancel', limits.cancelProofs, async (req, res) => {
    const id = trackingId(req);
    const caller = callerOf(res);
    const { reason, phone } = parseOrThrow(cancelRequestSchema, req.body ?? {});
    const view = await orders.status(id).catch(toHttpError);
    const full = await seesFullView(caller, id, view);
    requireAllowed(caller, 'cancelOrder', {
      ownerTelegramUserId: full && caller.kind === 'telegram' ? caller.userId : undefined,
      provedPhone: phone !== undefined && secretMatches(phone, view.customer.phone),
    });
    const cancelled = await orders.cancel(id, reason).catch(toHttpError);
    res.json(full ? cancelled : maskedView(cancelled));
  });

  return router;
}
