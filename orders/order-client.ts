import { ApplicationFailure } from '@temporalio/common';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ORDER_WORKFLOW_TYPE, TASK_QUEUE, orderWorkflowId } from '../common/contract';
import type { OrderInput, OrderRequest, OrderSettings, OrderView } from '../common/order';
import type { PrismaClient } from '../db/client';
import { cancelUpdate, pricedUpdate, requestNewPaymentUpdate, statusQuery } from '../workflows/messages';
import { orderViewFromRecords } from './order-records-view';
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

    /** The live view; once Temporal no longer has the order, the database's. */
    async status(trackingId: string): Promise<OrderView> {
      try {
        return await handle(trackingId).query(statusQuery);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        const recorded = await orderViewFromRecords(prisma, trackingId);
        if (!recorded) throw err;
        return recorded;
      }
    },

    /** One cancellation per order: a repeat answers the same view (Temporal deduplicates by update id). */
    async cancel(trackingId: string, reason?: string): Promise<OrderView> {
      try {
        return await handle(trackingId).executeUpdate(cancelUpdate, { args: [{ reason }], updateId: 'cancel' });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) && !isClosed(err)) throw err;
        const recorded = await orderViewFromRecords(prisma, trackingId);
        if (!recorded) throw err;
        throw notCancellable(recorded.status);
      }
    },

    /** Withdraws the open Kaspi bill and sends a new one to `phone` (+7XXXXXXXXXX). */
    requestNewPayment: (trackingId: string, phone: string): Promise<OrderView> =>
      handle(trackingId).executeUpdate(requestNewPaymentUpdate, { args: [{ phone }] }),
  };
}

const isClosed = (err: unknown): boolean => /already completed/i.test(String((err as Error)?.message ?? ''));

/** The same failure the workflow's validator gives, for an order whose workflow has closed. */
const notCancellable = (status: string): ApplicationFailure =>
  ApplicationFailure.create({
    type: 'NotCancellable',
    message: `Cannot cancel: the order is ${status}`,
    details: [{ status }],
    nonRetryable: true,
  });
