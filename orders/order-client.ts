import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { ORDER_WORKFLOW_TYPE, TASK_QUEUE, orderWorkflowId } from '../common/contract';
import type { OrderInput, OrderRequest, OrderSettings, OrderView } from '../common/order';
import type { PrismaClient } from '../db/client';
import { cancelUpdate, pricedUpdate, statusQuery } from '../workflows/messages';
import { trackingIdFor } from './tracking-id';

export interface OrderClientDeps {
  temporal: Client;
  prisma: PrismaClient;
  settings: OrderSettings;
}

export type OrderClient = ReturnType<typeof createOrderClient>;

/**
 * How the API and the bot place, read and cancel orders: start the workflow, query it, update it.
 * Business rejections surface as the workflow's typed failures (see api/temporal-errors.ts).
 */
export function createOrderClient({ temporal, prisma, settings }: OrderClientDeps) {
  const handle = (trackingId: string) => temporal.workflow.getHandle(orderWorkflowId(trackingId));

  return {
    /** Starts the order and answers once it is priced; the same key always answers the same order. */
    async place(request: OrderRequest, idempotencyKey?: string): Promise<{ view: OrderView; created: boolean }> {
      if (idempotencyKey) {
        const earlier = await prisma.order.findUnique({ where: { idempotencyKey } });
        if (earlier) return { view: await handle(earlier.trackingId).query(statusQuery), created: false };
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
      const view = await temporal.workflow.executeUpdateWithStart(pricedUpdate, { startWorkflowOperation: start });
      return { view, created: true };
    },

    status: (trackingId: string): Promise<OrderView> => handle(trackingId).query(statusQuery),

    cancel: (trackingId: string, reason?: string): Promise<OrderView> =>
      handle(trackingId).executeUpdate(cancelUpdate, { args: [{ reason }] }),
  };
}
