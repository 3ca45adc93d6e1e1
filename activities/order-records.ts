import { ApplicationFailure } from '@temporalio/common';
import { asJson, type PrismaClient } from '../db/client';
import type { OrderStatus } from '../common/contract';
import type { Attention, CancelReason, OrderInput, OrderView } from '../common/order';
import type { BusinessMetrics } from '../common/metrics';
import { releaseSlot } from '../orders/slots';
import { write } from './db-errors';

export interface StatusRecord {
  trackingId: string;
  /** Optional only for the first workflow version, which also wrote the CRM fields through here. */
  status?: OrderStatus;
  at?: Date;
  cancelReason?: CancelReason;
  assembledPhotoUrl?: string;
  crm?: OrderView['crm'];
}

/** One of the record lane's writes; the lane sends those that wait together as one `recordSteps` call. */
export type RecordStep =
  | ({ kind: 'status' } & Omit<StatusRecord, 'trackingId' | 'crm'>)
  | { kind: 'crm'; crm: OrderView['crm'] }
  | { kind: 'attention'; paymentState: string; attention: Attention[] };

/** The database read model of orders; every write is idempotent so retries change nothing. */
export function createOrderRecordActivities({ prisma, metrics }: { prisma: PrismaClient; metrics?: BusinessMetrics }) {
  /** Counted once per order and status: only the write that adds the history row counts. */
  function count(status: OrderStatus, order: { createdAt: Date }, at: Date, reason?: string): void {
    if (!metrics) return;
    if (status === 'paid') {
      metrics.ordersPaid.inc();
      metrics.paymentWait.observe(Math.max(0, (at.getTime() - order.createdAt.getTime()) / 1000));
    } else if (status === 'cancelled') metrics.ordersCancelled.inc({ reason: reason ?? 'unknown' });
    else if (status === 'delivered') metrics.ordersDelivered.inc();
  }

  const records = {
    async recordOrder({
      input,
      priced,
    }: {
      input: OrderInput;
      priced: Pick<OrderView, 'items' | 'totalKopecks' | 'deliveryFeeKopecks'>;
    }): Promise<void> {
      const { customer, delivery, recipient } = input;
      const customerRow = customer.telegramUserId
        ? await write('customer', () =>
            prisma.customer.upsert({
              where: { telegramUserId: BigInt(customer.telegramUserId!) },
              create: {
                telegramUserId: BigInt(customer.telegramUserId!),
                telegramChatId: customer.telegramChatId ? BigInt(customer.telegramChatId) : null,
                phone: customer.phone,
                name: customer.name,
                language: customer.language ?? 'ru',
              },
              update: { phone: customer.phone },
            }),
          )
        : null;
      const fields = {
        workflowId: `order-${input.trackingId}`,
        idempotencyKey: input.idempotencyKey ?? null,
        customerId: customerRow?.id ?? null,
        customerPhone: customer.phone,
        status: 'new',
        totalKopecks: BigInt(priced.totalKopecks),
        deliveryFeeKopecks: BigInt(priced.deliveryFeeKopecks),
        deliveryType: delivery.type,
        address: delivery.address ?? null,
        deliveryDate: delivery.date,
        slot: delivery.slot,
        cardText: input.cardText ?? null,
        recipientName: recipient?.name ?? null,
        recipientPhone: recipient?.phone ?? null,
      };
      const known = await prisma.order.count({ where: { trackingId: input.trackingId } });
      await write('order', () =>
        prisma.order.upsert({
          where: { trackingId: input.trackingId },
          update: {},
          create: {
            trackingId: input.trackingId,
            ...fields,
            items: {
              create: priced.items.map((i) => ({
                productExternalId: i.productId,
                title: i.title,
                quantity: i.quantity,
                priceKopecks: BigInt(i.priceKopecks),
              })),
            },
            history: { create: { status: 'new', at: new Date() } },
          },
        }),
      );
      if (!known) metrics?.ordersCreated.inc({ channel: customer.telegramChatId ? 'bot' : 'api' });
    },

    async recordStatus({ trackingId, status, at, cancelReason, assembledPhotoUrl, crm }: StatusRecord): Promise<void> {
      // One transaction: a reader never sees the status without its history row.
      const added = await write(`status ${status ?? '(CRM)'}`, () =>
        prisma.$transaction(async (tx) => {
          const order = await tx.order.update({
            where: { trackingId },
            data: {
              ...(status && { status }),
              ...(cancelReason && { cancelReason }),
              ...(assembledPhotoUrl && { assembledPhotoUrl }),
              ...(crm?.orderId && { crmOrderId: crm.orderId }),
              ...(crm?.status && { crmStatus: crm.status }),
            },
          });
          if (!status) return undefined;
          // A cancelled or expired order gives its delivery slot back with the status that says so, once.
          if (status === 'cancelled') await releaseSlot(tx, trackingId);
          const when = at ? new Date(at) : new Date();
          const { count: rows } = await tx.orderStatusChange.createMany({
            data: [{ orderId: order.id, status, at: when, reason: cancelReason }],
            skipDuplicates: true,
          });
          return rows ? { status, order, when } : undefined;
        }),
      );
      if (added) count(added.status, added.order, added.when, cancelReason); // after the commit, once
    },

    /** The CRM's order id and status, apart from our status so a CRM surprise never holds our status back. */
    async recordCrm({ trackingId, crm }: { trackingId: string; crm: OrderView['crm'] }): Promise<void> {
      await write('CRM order id', () =>
        prisma.order.update({
          where: { trackingId },
          data: { ...(crm.orderId && { crmOrderId: crm.orderId }), ...(crm.status && { crmStatus: crm.status }) },
        }),
      );
    },

    /** The customer's stars and comment after delivery. */
    async recordRating({
      trackingId,
      stars,
      comment,
      at,
    }: {
      trackingId: string;
      stars: number;
      comment?: string;
      at: string;
    }) {
      await write('rating', () =>
        prisma.order.update({
          where: { trackingId },
          data: { ratingStars: stars, ratingComment: comment ?? null, ratedAt: new Date(at) },
        }),
      );
    },

    /** What an operator must see on the order: the payment's state and every open problem. */
    async recordAttention({
      trackingId,
      paymentState,
      attention,
    }: {
      trackingId: string;
      paymentState: string;
      attention: Attention[];
    }): Promise<void> {
      const open = attention.filter((a) => !a.resolvedAt);
      await write('attention', () =>
        prisma.order.update({
          where: { trackingId },
          data: {
            paymentState,
            needsAttention: open.length > 0,
            attention: attention.length ? asJson(attention) : undefined,
          },
        }),
      );
    },

    /**
     * Several of the above in the order asked; each is idempotent, so a retry of the whole repeats nothing. A step
     * the database refuses for good is returned, not thrown; one that fails otherwise is retried with the whole
     * batch, after the others are written, so neither holds back the steps beside it.
     */
    async recordSteps({ trackingId, steps }: { trackingId: string; steps: RecordStep[] }) {
      const refused: { step: number; reason: string }[] = [];
      let retry: Error | undefined;
      for (const [i, step] of steps.entries()) {
        try {
          if (step.kind === 'status') await records.recordStatus({ ...step, trackingId });
          else if (step.kind === 'crm') await records.recordCrm({ trackingId, crm: step.crm });
          else await records.recordAttention({ ...step, trackingId });
        } catch (err) {
          if (err instanceof ApplicationFailure && err.nonRetryable) refused.push({ step: i, reason: err.message });
          else retry ??= err instanceof Error ? err : new Error(String(err));
        }
      }
      if (retry) throw retry;
      return { refused };
    },
  };
  return records;
}
