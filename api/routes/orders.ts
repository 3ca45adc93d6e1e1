import { Router } from 'express';
import { orderWorkflowId } from '../../common/contract';
import type { OrderView } from '../../common/order';
import type { OrderClient } from '../../orders/order-client';
import { HttpError, parseOrThrow } from '../errors';
import { cancelRequestSchema, orderRequestSchema } from '../order-request';
import { toHttpError } from '../temporal-errors';

const summary = (view: OrderView) => ({
  trackingId: view.trackingId,
  workflowId: orderWorkflowId(view.trackingId),
  status: view.status,
  totalKopecks: view.totalKopecks,
});

/** Orders: start the workflow and read or change its live state; no activity runs here. */
export function orderRoutes({ orders }: { orders: OrderClient }): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const request = parseOrThrow(orderRequestSchema, req.body);
    const idempotencyKey = req.header('Idempotency-Key')?.trim() || undefined;
    if (idempotencyKey && idempotencyKey.length > 200) {
      throw new HttpError(400, 'invalid_request', 'Idempotency-Key is longer than 200 characters');
    }
    const { view, created } = await orders.place(request, idempotencyKey).catch(toHttpError);
    res.status(created ? 201 : 200).json(summary(view));
  });

  router.get('/:trackingId', async (req, res) => {
    res.json(await orders.status(req.params.trackingId).catch(toHttpError));
  });

  router.post('/:trackingId/cancel', async (req, res) => {
    const { reason } = parseOrThrow(cancelRequestSchema, req.body ?? {});
    res.json(await orders.cancel(req.params.trackingId, reason).catch(toHttpError));
  });

  return router;
}
