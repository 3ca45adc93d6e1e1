import type { OrderStatus } from '../common/contract';
import type { Attention, CancelReason, OrderView, PaymentStatus } from '../common/order';
import type { PrismaClient } from '../db/client';

/**
 * An order as the database remembers it: what `status` answers once Temporal no longer has the workflow
 * (closed and past retention).
 */
export async function orderViewFromRecords(prisma: PrismaClient, trackingId: string): Promise<OrderView | null> {
  const row = await prisma.order.findUnique({
    where: { trackingId },
    include: {
      items: { orderBy: { id: 'asc' } },
      history: { orderBy: { at: 'asc' } },
      payments: { orderBy: { attempt: 'desc' } },
    },
  });
  if (!row) return null;
  const payment = row.payments.find((p) => p.status === 'kept' || p.status === 'refunded') ?? row.payments[0];
  return {
    trackingId: row.trackingId,
    status: row.status as OrderStatus,
    cancelReason: (row.cancelReason ?? undefined) as CancelReason | undefined,
    totalKopecks: Number(row.totalKopecks),
    deliveryFeeKopecks: Number(row.deliveryFeeKopecks),
    items: row.items.map((i) => ({
      productId: i.productExternalId,
      title: i.title,
      quantity: i.quantity,
      priceKopecks: Number(i.priceKopecks),
    })),
    delivery: {
      type: row.deliveryType as OrderView['delivery']['type'],
      address: row.address ?? undefined,
      date: row.deliveryDate,
      slot: row.slot,
    },
    recipient: row.recipientName ? { name: row.recipientName, phone: row.recipientPhone ?? undefined } : undefined,
    customer: { phone: row.customerPhone },
    cardText: row.cardText ?? undefined,
    payment: {
      status: row.paymentState as PaymentStatus,
      attempt: payment?.attempt,
      externalId: payment?.externalId ?? undefined,
      refundedKopecks: payment ? Number(payment.refundedKopecks) : undefined,
    },
    crm: { orderId: row.crmOrderId ?? undefined, status: row.crmStatus ?? undefined },
    history: row.history.map((h) => ({ status: h.status as OrderStatus, at: h.at.toISOString() })),
    assembledPhotoUrl: row.assembledPhotoUrl ?? undefined,
    attention: (row.attention as Attention[] | null) ?? [],
  };
}
