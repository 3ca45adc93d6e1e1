import { Router } from 'express';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { ORDER_WORKFLOW_TYPE, TASK_QUEUE, orderWorkflowId } from '../../common/contract';
import type { OrderInput, OrderSettings, OrderView } from '../../common/order';
import type { PrismaClient } from '../../db/client';
import { cancelUpdate, pricedUpdate, statusQuery } from '../../workflows/messages';
import { HttpError, parseOrThrow } from '../errors';
import { cancelRequestSchema, orderRequestSchema } from '../order-request';
import { toHttpError } from '../temporal-errors';
import { trackingIdFor } from '../tracking-id';

export interface OrderRoutesDeps {
  temporal: Client;
  prisma: PrismaClient;
  settings: OrderSettings;
}

const summary = (view: OrderView) => ({
  trackingId: view.trackingId,
  workflowId: orderWorkflowId(view.trackingId),
  status: view.status,
  totalKopecks: view.totalKopecks,
});

/** Orders: start the workflow and read or change its live state; no activity runs here. */
export function orderRoutes({ temporal, prisma, settings }: OrderRoutesDeps): Router {
  const router = Router();
  const handle = (trackingId: string) => temporal.workflow.getHandle(orderWorkflowId(trackingId));

  router.post('/', async (req, res) => {
    const request = parseOrThrow(orderRequestSchema, req.body);
    const idempotencyKey = req.header('Idempotency-Key')?.trim() || undefined;
    if (idempotencyKey && idempotencyKey.length > 200) throw new HttpError(400, 'invalid_request', 'Idempotency-Key is longer than 200 characters');
    if (idempotencyKey) {
      const earlier = await prisma.order.findUnique({ where: { idempotencyKey } });
      if (earlier) {
        const view = await handle(earlier.trackingId).query(statusQuery).catch(toHttpError);
        res.status(200).json(summary(view));
        return;
      }
    }
    const trackingId = trackingIdFor(idempotencyKey);
    const input: OrderInput = { ...request, trackingId, idempotencyKey, settings };
    const start = new WithStartWorkflowOperation(ORDER_WORKFLOW_TYPE, {
      workflowId: orderWorkflowId(trackingId),
      taskQueue: TASK_QUEUE,
      args: [input],
      // The same Idempotency-Key racing in twice lands on the one running order.
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const view = await temporal.workflow.executeUpdateWithStart(pricedUpdate, { startWorkflowOperation: start }).catch(toHttpError);
    res.status(201).json(summary(view));
  });

  router.get('/:trackingId', async (req, res) => {
    res.json(await handle(req.params.trackingId).query(statusQuery).catch(toHttpError));
  });

  router.post('/:trackingId/cancel', async (req, res) => {
    const { reason } = parseOrThrow(cancelRequestSchema, req.body ?? {});
    const view = await handle(req.params.trackingId).executeUpdate(cancelUpdate, { args: [{ reason }] }).catch(toHttpError);
    res.json(view);
  });

  return router;
}
