import type { Client } from '@temporalio/client';
import { kaspiPaymentSummary, kaspiPaymentWorkflowId, orderWorkflowId, TASK_QUEUE } from '../common/contract';
import type { OrderSettings } from '../common/order';
import type { PrismaClient } from '../db/client';
import { kaspiPaymentWorkflow } from '../workflows/kaspi-payment';
import { kaspiEventSignal, paymentSignal } from '../workflows/messages';

export interface KaspiEventDeps {
  temporal: Client;
  prisma: PrismaClient;
  settings: OrderSettings;
}

export type KaspiEventTarget = { trackingId: string; deliver: () => Promise<void> } | null;

/**
 * Where a Kaspi callback goes: to the workflow of its payment request, started again if it has ended, so that
 * money arriving for a closed order is still settled (kept if claimed, else returned). Null for an id we never
 * requested (kept by the caller for reconciliation).
 */
export function createKaspiEventRouter({ temporal, prisma, settings }: KaspiEventDeps) {
  return async (externalId: string, status: string): Promise<KaspiEventTarget> => {
    const payment = await prisma.payment.findUnique({ where: { externalId }, include: { order: true } });
    if (!payment) return null;
    const { trackingId } = payment.order;
    if (!payment.requestKey) {
      // Requested by the first workflow version, which polls and listens itself.
      return {
        trackingId,
        deliver: () =>
          temporal.workflow.getHandle(orderWorkflowId(trackingId)).signal(paymentSignal, { externalId, status }),
      };
    }
    return {
      trackingId,
      deliver: async () => {
        await temporal.workflow.signalWithStart(kaspiPaymentWorkflow, {
          workflowId: kaspiPaymentWorkflowId(trackingId, payment.attempt),
          taskQueue: TASK_QUEUE,
          staticSummary: kaspiPaymentSummary(trackingId, payment.attempt),
          args: [
            {
              trackingId,
              orderWorkflowId: orderWorkflowId(trackingId),
              attempt: payment.attempt,
              phone: payment.phone ?? payment.order.customerPhone,
              amountKopecks: Number(payment.amountKopecks),
              payableMs: 0,
              lateWatchMs: settings.latePaymentWatchMs,
              externalId,
            },
          ],
          signal: kaspiEventSignal,
          signalArgs: [{ status }],
        });
      },
    };
  };
}
