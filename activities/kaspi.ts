import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { PrismaClient } from '../db/client';
import { kaspiPhone } from '../common/phone';
import { kopecksToTenge } from '../common/money';
import { outcomeUnknown, PRODUCTION_API_FAILURES, type ProductionApi } from './production-api';

export interface KaspiDeps {
  prisma: PrismaClient;
  production: ProductionApi;
}

export interface PaymentRequest {
  trackingId: string;
  attempt: number;
  phone: string;
  amountKopecks: number;
}

/** How a payment request ended; `in_doubt` means the proxy may have sent a bill that we do not know of. */
export type PaymentRequestOutcome =
  | { outcome: 'requested'; externalId: string; recordError?: string }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'in_doubt'; reason: string };

const REFUND_TOO_LARGE = '-99000005';

/** The failure a server-paced bill watch retries on (activities' awaitBillSettled). */
const BILL_STILL_WAITING = 'BillStillWaiting';

export const paymentRequestKey = (trackingId: string, attempt: number): string => `${trackingId}:${attempt}`;

/**
 * Kaspi remote payments through the production API's proxy. The proxy has no idempotency key and no look-up,
 * so every request is recorded before it is made: a retry that finds the call may have happened never asks
 * again, it reports the request in doubt for an operator to settle.
 */
export function createKaspiActivities({ prisma, production }: KaspiDeps) {
  return {
    async requestKaspiPayment(
      { trackingId, attempt, phone, amountKopecks }: PaymentRequest,
      /** The first workflow version's requests carry no key: their callbacks go to the order itself. */
      firstVersion = false,
    ): Promise<PaymentRequestOutcome> {
      const requestKey = paymentRequestKey(trackingId, attempt);
      const order = await prisma.order.findUniqueOrThrow({ where: { trackingId }, select: { id: true } });
      const earlier = await prisma.payment.findUnique({ where: { orderId_attempt: { orderId: order.id, attempt } } });
      if (earlier?.externalId) return { outcome: 'requested', externalId: earlier.externalId };
      if (earlier && (earlier.status === 'requesting' || earlier.status === 'in_doubt')) {
        const reason = `the request ${requestKey} may have been sent by an earlier attempt (${earlier.lastError ?? 'no answer recorded'})`;
        await prisma.payment.update({ where: { id: earlier.id }, data: { status: 'in_doubt' } });
        return { outcome: 'in_doubt', reason };
      }
      const row = await prisma.payment.upsert({
        where: { orderId_attempt: { orderId: order.id, attempt } },
        create: {
          orderId: order.id,
          attempt,
          requestKey: firstVersion ? null : requestKey,
          phone,
          amountKopecks: BigInt(amountKopecks),
          status: 'requesting',
        },
        update: { phone, amountKopecks: BigInt(amountKopecks), status: 'requesting', lastError: null },
      });

      let externalId: string;
      try {
        ({ externalId } = await production.kaspiCreate(
          kaspiPhone(phone),
          kopecksToTenge(amountKopecks),
          `Заказ ${trackingId} (${requestKey})`,
        ));
      } catch (err) {
        const reason = (err as Error).message;
        if (outcomeUnknown(err)) {
          await prisma.payment.update({ where: { id: row.id }, data: { status: 'in_doubt', lastError: reason } });
          return { outcome: 'in_doubt', reason };
        }
        await prisma.payment.update({ where: { id: row.id }, data: { status: 'not_created', lastError: reason } });
        if (err instanceof ApplicationFailure && err.type === PRODUCTION_API_FAILURES.rejected) {
          return { outcome: 'refused', reason };
        }
        throw err; // answered "not now": nothing was created, so a retry is safe
      }
      try {
        await prisma.payment.update({ where: { id: row.id }, data: { externalId, status: 'pending' } });
        return { outcome: 'requested', externalId };
      } catch (err) {
        // The bill exists: the workflow's history keeps its id even if our row cannot.
        return { outcome: 'requested', externalId, recordError: (err as Error).message.slice(0, 500) };
      }
    },

    /** An operator's word on a request in doubt: its external id if Kaspi has it, or that it was never created. */
    async settlePaymentInDoubt({
      trackingId,
      attempt,
      externalId,
    }: {
      trackingId: string;
      attempt: number;
      externalId?: string;
    }): Promise<void> {
      const order = await prisma.order.findUniqueOrThrow({ where: { trackingId }, select: { id: true } });
      await prisma.payment.update({
        where: { orderId_attempt: { orderId: order.id, attempt } },
        data: externalId ? { externalId, status: 'pending' } : { status: 'not_created' },
      });
    },

    /** The order took this money: a late look at the request (a callback, reconciliation) must never return it. */
    async markPaymentKept({ externalId }: { externalId: string }): Promise<void> {
      // A record retried late (after a worker restart) must not relabel money the cancelled order already returned.
      await prisma.payment.updateMany({ where: { externalId, status: { not: 'refunded' } }, data: { status: 'kept' } });
    },

    async getPaymentStatus(externalId: string): Promise<string> {
      const { status } = await production.kaspiStatus(externalId);
      await noteSettled(externalId, status);
      return status;
    },

    /**
     * One look at a bill for a watch that the server paces (workflows/kaspi-payment.ts): still waiting is a benign
     * failure, so Temporal retries it at the watch's pace without waking the workflow, logging at debug level and
     * counting nothing as failed. Only a settled bill is written down.
     */
    async awaitBillSettled(externalId: string): Promise<'paid' | 'failed'> {
      const { status } = await production.kaspiStatus(externalId);
      if (status !== 'Processed' && status !== 'Error') {
        throw ApplicationFailure.create({
          type: BILL_STILL_WAITING,
          message: `Kaspi bill ${externalId} is ${status}: looked at again at the watch's pace`,
          category: ApplicationFailureCategory.BENIGN,
        });
      }
      await noteSettled(externalId, status);
      return status === 'Processed' ? 'paid' : 'failed';
    },

    /** Money on a request that no order claims: returned, unless the order has recorded it as kept. */
    async refundUnclaimed(args: { trackingId: string; externalId: string; amountKopecks: number }) {
      const row = await prisma.payment.findUnique({ where: { externalId: args.externalId } });
      if (row?.status === 'kept') return { refundedKopecks: 0 };
      return refundPayment(args);
    },

    refundPayment,
  };

  /** A settled bill is written down once, on a row still pending; a waiting one changes nothing. */
  async function noteSettled(externalId: string, status: string): Promise<void> {
    if (status !== 'Processed' && status !== 'Error') return;
    const settled = status === 'Processed' ? 'processed' : 'error';
    await prisma.payment.updateMany({ where: { externalId, status: 'pending' }, data: { status: settled } });
  }

  /** Refunds what is still unrefunded of `amountKopecks`; a repeat refunds nothing. */
  async function refundPayment({
    trackingId,
    externalId,
    amountKopecks,
  }: {
    trackingId: string;
    externalId: string;
    amountKopecks: number;
  }): Promise<{ refundedKopecks: number }> {
    const payment =
      (await prisma.payment.findUnique({ where: { externalId } })) ??
      (await prisma.payment.create({
        data: {
          externalId,
          amountKopecks: BigInt(amountKopecks),
          status: 'processed',
          attempt: (await prisma.payment.count({ where: { order: { trackingId } } })) + 1,
          order: { connect: { trackingId } },
        },
      }));
    const owed = Math.min(amountKopecks, Number(payment.amountKopecks)) - Number(payment.refundedKopecks);
    if (owed <= 0) return { refundedKopecks: 0 };
    try {
      await production.kaspiRefund(externalId, kopecksToTenge(owed));
    } catch (err) {
      // Already refunded by an attempt whose answer was lost: Kaspi refuses a second one.
      const refusedAsTooLarge =
        err instanceof ApplicationFailure && JSON.stringify(err.details ?? []).includes(REFUND_TOO_LARGE);
      // Money owed to a customer is never given up on: every other failure is retried, visibly.
      if (!refusedAsTooLarge)
        throw ApplicationFailure.retryable(`refund of ${externalId} failed: ${(err as Error).message}`, 'RefundFailed');
    }
    await prisma.payment.update({
      where: { id: payment.id },
      data: { refundedKopecks: { increment: BigInt(owed) }, status: 'refunded' },
    });
    return { refundedKopecks: owed };
  }
}
