import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createReconcileActivities, ReconcileReport } from '../activities/reconcile';
import { refunds } from './order-activities';

const scan = proxyActivities<ReturnType<typeof createReconcileActivities>>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '5s', maximumInterval: '1m', maximumAttempts: 5 },
});

export interface ReconcileInput {
  latePaymentWatchMs: number;
}

/**
 * The `reconcile` schedule's run: finds what no workflow watches, fixes what is safe (returns money no order
 * claims, delivers callbacks that came too early, frees slot places of orders that never started) and marks the
 * rest `NeedsAttention`. Its report is its result.
 */
export async function reconcileWorkflow({ latePaymentWatchMs }: ReconcileInput): Promise<ReconcileReport> {
  const startedAt = new Date().toISOString();
  const found = await scan.scanForReconcile();
  for (const item of found.refund) await refunds.refundPayment(item);
  for (const event of found.redeliver) await scan.redeliverKaspiEvent({ ...event, latePaymentWatchMs });
  const report: ReconcileReport = {
    refunded: found.refund.length,
    redelivered: found.redeliver.length,
    // Released by the scan itself; a scan of an older worker reports none.
    slotsReleased: found.releasedSlots?.length ?? 0,
    releasedSlots: found.releasedSlots ?? [],
    needsAttention: found.attention.length,
    findings: found.attention,
  };
  const { workflowId, runId } = workflowInfo();
  await scan.recordReconcileRun({ workflowId, runId, startedAt, report });
  return report;
}
