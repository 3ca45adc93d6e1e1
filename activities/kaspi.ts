import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../db/client';
import { kaspiPhone } from '../common/phone';
import { kopecksToTenge } from '../common/money';
import type { ProductionApi } from './production-api';

export interface KaspiDeps {
  prisma: PrismaClient;
  production: ProductionApi;
  /** Test seam: runs after the proxy created the request and before the activity returns. */
  afterPaymentCreated?: (externalId: string) => Promise<void>;
}

const REFUND_TOO_LARGE = '-99000005';

/**
 * Kaspi remote payments through the production API's proxy. The proxy has no idempotency key,
 * so every request is recorded before it is made and a retry reuses what an earlier attempt got.
 */
export function createKaspiActivities({ prisma, production, afterPaymentCreated }: KaspiDeps) {
  return {
    async requestPayment({
      trackingId,
      phone,
      amountKopecks,
    }: {
      trackingId: string;
      phone: string;
      amountKopecks: number;
    }): Promise<{ externalId: string }> {
      const order = await prisma.order.findUniqueOrThrow({
        where: { trackingId },
        include: { payments: { orderBy: { attempt: 'asc' } } },
      });
      const earlier = order.payments.find(
        (p: { externalId: string | null; status: string }) => p.externalId && p.status !== 'error',
      );
      if (earlier?.externalId) return { externalId: earlier.externalId };

      const attempt = await prisma.payment.create({
        data: { orderId: order.id, attempt: order.payments.length + 1, amountKopecks, status: 'requesting' },
      });
      const created = await production.kaspiCreate(
        kaspiPhone(phone),
        kopecksToTenge(amountKopecks),
        `Заказ ${trackingId}`,
      );
      await prisma.payment.update({
        where: { id: attempt.id },
        data: { externalId: created.externalId, status: 'pending' },
      });
      await afterPaymentCreated?.(created.externalId);
      return { externalId: created.externalId };
    },

    async getPaymentStatus(externalId: string): Promise<string> {
      const { status } = await production.kaspiStatus(externalId);
      const mapped = status === 'Processed' ? 'processed' : status === 'Error' ? 'error' : 'pending';
      await prisma.payment.updateMany({
        where: { externalId, status: { in: ['pending', 'requesting'] } },
        data: { status: mapped },
      });
      return status;
    },

    /** Refunds what is still unrefunded of `amountKopecks`; a repeat refunds nothing. */
    async refundPayment({
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
            amountKopecks,
            status: 'processed',
            attempt: (await prisma.payment.count({ where: { order: { trackingId } } })) + 1,
            order: { connect: { trackingId } },
          },
        }));
      const due = Math.min(amountKopecks, payment.amountKopecks) - payment.refundedKopecks;
      if (due <= 0) return { refundedKopecks: 0 };
      try {
        await production.kaspiRefund(externalId, kopecksToTenge(due));
      } catch (err) {
        // Already refunded by an attempt that crashed before recording it: Kaspi refuses a second one.
        const refusedAsTooLarge =
          err instanceof ApplicationFailure && JSON.stringify(err.details ?? []).includes(REFUND_TOO_LARGE);
        // Money owed to a customer is never given up on: every other failure is retried, visibly.
        if (!refusedAsTooLarge)
          throw ApplicationFailure.retryable(
            `refund of ${externalId} failed: ${(err as Error).message}`,
            'RefundFailed',
          );
      }
      await prisma.payment.update({
        where: { id: payment.id },
        data: { refundedKopecks: { increment: due }, status: 'refunded' },
      });
      return { refundedKopecks: due };
    },
  };
}
