import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { kaspiPaymentWorkflowId, orderWorkflowId } from '../common/contract';
import type { Attention } from '../common/order';
import { asJson, type PrismaClient } from '../db/client';
import { createKaspiEventRouter } from '../orders/kaspi-events';
import { releaseSlot, type SlotPlace } from '../orders/slots';

export interface ReconcileFinding {
  kind: 'payment_in_doubt' | 'refund_open' | 'paid_without_crm' | 'unknown_payment';
  trackingId?: string;
  externalId?: string;
  attempt?: number;
  detail: string;
}

/** What one pass found: `refund` items are safe to fix (money no order claims); the rest need an operator. */
export interface ReconcileScan {
  refund: { trackingId: string; externalId: string; amountKopecks: number }[];
  /** Kaspi callbacks whose request became known after they came: deliver them now. */
  redeliver: { externalId: string; status: string }[];
  attention: ReconcileFinding[];
  /** Places held by orders that never started (the API died between the reservation and the start): released. */
  releasedSlots?: ReleasedSlot[];
}

export interface ReleasedSlot extends SlotPlace {
  trackingId: string;
}

export interface ReconcileReport {
  refunded: number;
  redelivered: number;
  /** Absent in reports of runs before slot reservations were reconciled. */
  slotsReleased?: number;
  releasedSlots?: ReleasedSlot[];
  needsAttention: number;
  findings: ReconcileFinding[];
}

const SETTLE_MS = 15 * 60_000; // younger problems are still being worked on by their workflows
/** A reservation's order starts within seconds of it (one API call); this old without a workflow, it never will. */
const ABANDONED_RESERVATION_MS = 15 * 60_000;
/** Reservations looked at per pass: a backlog is worked off over the next passes. */
const RESERVATIONS_PER_PASS = 500;

/**
 * Reconciliation: what no running workflow is watching. Reads the database and asks Temporal whether the
 * responsible workflow still runs; marks orders that need an operator.
 */
export function createReconcileActivities({ prisma, temporal }: { prisma: PrismaClient; temporal?: Client }) {
  async function running(workflowId: string): Promise<boolean> {
    if (!temporal) throw new Error('reconcile needs a Temporal client');
    try {
      const { status } = await temporal.workflow.getHandle(workflowId).describe();
      return status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /**
   * Whether the order's workflow still runs. Not found: a closed order past retention still has its row, so this one
   * never started. Closed without a row: pricing refused it after its caller stopped waiting (or an operator ended
   * it before it was recorded), so nobody holds that place either.
   */
  async function stillRunning(workflowId: string): Promise<boolean> {
    if (!temporal) throw new Error('reconcile needs a Temporal client');
    try {
      const { status } = await temporal.workflow.getHandle(workflowId).describe();
      return status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /**
   * Gives back the place, and the Idempotency-Key claim made with it, of orders whose workflow never started or
   * closed unrecorded: as a rejected order does (orders/order-client.ts), so the customer's retry with that key
   * reserves afresh. Only a reservation still open, with no order row and no running workflow; released once.
   */
  async function releaseAbandonedSlots(): Promise<ReleasedSlot[]> {
    // Every placed order keeps its reservation open until it is cancelled: only those without a row are candidates.
    // Times as Prisma stores them: UTC in a column without a zone.
    const before = new Date(Date.now() - ABANDONED_RESERVATION_MS).toISOString();
    const open = await prisma.$queryRaw<ReleasedSlot[]>`
      SELECT r."trackingId", r."date", r."slot" FROM "SlotReservation" r
      WHERE r."releasedAt" IS NULL AND r."createdAt" < ${before}::timestamp
        AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE o."trackingId" = r."trackingId")
      ORDER BY r."createdAt" LIMIT ${RESERVATIONS_PER_PASS}`;
    const released: ReleasedSlot[] = [];
    for (const { trackingId, date, slot } of open) {
      if (await stillRunning(orderWorkflowId(trackingId))) continue;
      const freed = await prisma.$transaction(async (tx) => {
        if (await tx.order.count({ where: { trackingId } })) return false;
        await tx.idempotencyKey.deleteMany({ where: { trackingId } });
        return releaseSlot(tx, trackingId);
      });
      if (freed) released.push({ trackingId, date, slot });
    }
    return released;
  }

  async function markOrder(trackingId: string, finding: ReconcileFinding): Promise<void> {
    const order = await prisma.order.findUnique({ where: { trackingId }, select: { attention: true } });
    if (!order) return;
    const list = ((order.attention as Attention[] | null) ?? []).filter((a) => a.key !== `reconcile:${finding.kind}`);
    list.push({ key: `reconcile:${finding.kind}`, reason: finding.detail, at: new Date().toISOString() });
    await prisma.order.update({
      where: { trackingId },
      data: { needsAttention: true, attention: asJson(list) },
    });
  }

  return {
    async scanForReconcile(): Promise<ReconcileScan> {
      const settled = new Date(Date.now() - SETTLE_MS);
      const scan: ReconcileScan = { refund: [], redeliver: [], attention: [] };

      const doubtful = await prisma.payment.findMany({
        where: { status: { in: ['requesting', 'in_doubt'] }, updatedAt: { lt: settled } },
        include: { order: { select: { trackingId: true } } },
      });
      for (const p of doubtful) {
        const { trackingId } = p.order;
        const watched = await running(kaspiPaymentWorkflowId(trackingId, p.attempt));
        scan.attention.push({
          kind: 'payment_in_doubt',
          trackingId,
          attempt: p.attempt,
          detail: watched
            ? `Kaspi request ${trackingId}:${p.attempt} in doubt; its workflow waits for settleInDoubt`
            : `Kaspi request ${trackingId}:${p.attempt} in doubt and no workflow watches it`,
        });
      }

      // Money received and neither kept nor fully returned, with nothing running that would settle it.
      const unsettled = await prisma.payment.findMany({
        where: {
          status: { in: ['processed', 'refund_pending'] },
          updatedAt: { lt: settled },
          externalId: { not: null },
        },
        include: { order: { select: { trackingId: true, status: true } } },
      });
      for (const p of unsettled) {
        const { trackingId } = p.order;
        if (p.refundedKopecks >= p.amountKopecks) continue;
        const busy =
          (await running(kaspiPaymentWorkflowId(trackingId, p.attempt))) ||
          (await running(orderWorkflowId(trackingId)));
        if (!busy) scan.refund.push({ trackingId, externalId: p.externalId!, amountKopecks: Number(p.amountKopecks) });
      }

      // Kept money on a cancelled order whose workflow has closed: the refund never completed.
      const keptOnCancelled = await prisma.payment.findMany({
        where: { status: 'kept', order: { status: 'cancelled' }, updatedAt: { lt: settled } },
        include: { order: { select: { trackingId: true } } },
      });
      for (const p of keptOnCancelled) {
        if (p.refundedKopecks >= p.amountKopecks || (await running(orderWorkflowId(p.order.trackingId)))) continue;
        scan.refund.push({
          trackingId: p.order.trackingId,
          externalId: p.externalId!,
          amountKopecks: Number(p.amountKopecks),
        });
      }

      const withoutCrm = await prisma.order.findMany({
        where: {
          crmOrderId: null,
          status: { in: ['paid', 'accepted', 'assembled', 'in_delivery', 'delivered'] },
          updatedAt: { lt: settled },
        },
        select: { trackingId: true },
      });
      for (const o of withoutCrm) {
        scan.attention.push({
          kind: 'paid_without_crm',
          trackingId: o.trackingId,
          detail: `paid but the CRM has no order${(await running(orderWorkflowId(o.trackingId))) ? ' (its workflow still tries)' : ''}`,
        });
      }

      const unknown = await prisma.webhookEvent.findMany({ where: { source: 'kaspi-unknown', appliedAt: null } });
      for (const event of unknown) {
        const { externalId, status } = event.payload as { externalId: string; status: string };
        const known = await prisma.payment.findUnique({ where: { externalId } });
        if (known) scan.redeliver.push({ externalId, status });
        else if (status === 'Processed') {
          scan.attention.push({
            kind: 'unknown_payment',
            externalId,
            detail: `Kaspi reports ${externalId} paid; no order requested it`,
          });
        }
      }
      for (const finding of scan.attention) if (finding.trackingId) await markOrder(finding.trackingId, finding);
      scan.releasedSlots = await releaseAbandonedSlots();
      return scan;
    },

    /** A callback that came before its request was recorded goes to the request's workflow now. */
    async redeliverKaspiEvent({
      externalId,
      status,
      latePaymentWatchMs,
    }: {
      externalId: string;
      status: string;
      latePaymentWatchMs: number;
    }): Promise<void> {
      if (!temporal) throw new Error('reconcile needs a Temporal client');
      const route = createKaspiEventRouter({
        temporal,
        prisma,
        settings: { paymentDeadlineMs: 0, latePaymentWatchMs },
      });
      const target = await route(externalId, status);
      await target?.deliver();
      await prisma.webhookEvent.updateMany({
        where: { source: 'kaspi-unknown', eventKey: `${externalId}:${status}` },
        data: { appliedAt: new Date() },
      });
    },

    async recordReconcileRun({
      workflowId,
      runId,
      startedAt,
      report,
    }: {
      workflowId: string;
      runId: string;
      startedAt: string;
      report: ReconcileReport;
    }): Promise<void> {
      await prisma.reconcileRun.upsert({
        where: { runId },
        update: {},
        create: {
          workflowId,
          runId,
          startedAt: new Date(startedAt),
          fixed: report.refunded + report.redelivered + (report.slotsReleased ?? 0),
          needsAttention: report.needsAttention,
          report: asJson(report),
        },
      });
    },
  };
}
