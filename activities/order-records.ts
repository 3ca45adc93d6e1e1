import type { PrismaClient } from '../db/client';
import type { OrderStatus } from '../common/contract';
import type { CancelReason, OrderInput, OrderView } from '../common/order';

export interface StatusRecord {
  trackingId: string;
  status?: OrderStatus;
  at?: Date;
  cancelReason?: CancelReason;
  crm?: OrderView['crm'];
  assembledPhotoUrl?: string;
}

/** The database read model of orders; every write is idempotent so retries change nothing. */
export function createOrderRecordActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async recordOrder({
      input,
      priced,
    }: {
      input: OrderInput;
      priced: Pick<OrderView, 'items' | 'totalKopecks' | 'deliveryFeeKopecks'>;
    }): Promise<void> {
      const { customer, delivery, recipient } = input;
      const customerRow = customer.telegramUserId
        ? await prisma.customer.upsert({
            where: { telegramUserId: BigInt(customer.telegramUserId) },
            create: {
              telegramUserId: BigInt(customer.telegramUserId),
              telegramChatId: customer.telegramChatId ? BigInt(customer.telegramChatId) : null,
              phone: customer.phone,
              name: customer.name,
              language: customer.language ?? 'ru',
            },
            update: { phone: customer.phone },
          })
        : null;
      const fields = {
        workflowId: `order-${input.trackingId}`,
        idempotencyKey: input.idempotencyKey ?? null,
        customerId: customerRow?.id ?? null,
        customerPhone: customer.phone,
        status: 'new',
        totalKopecks: priced.totalKopecks,
        deliveryFeeKopecks: priced.deliveryFeeKopecks,
        deliveryType: delivery.type,
        address: delivery.address ?? null,
        deliveryDate: delivery.date,
        slot: delivery.slot,
        cardText: input.cardText ?? null,
        recipientName: recipient?.name ?? null,
        recipientPhone: recipient?.phone ?? null,
      };
      await prisma.order.upsert({
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
              priceKopecks: i.priceKopecks,
            })),
          },
          history: { create: { status: 'new', at: new Date() } },
        },
      });
    },

    async recordStatus({ trackingId, status, at, cancelReason, crm, assembledPhotoUrl }: StatusRecord): Promise<void> {
      // One transaction: a reader never sees the status without its history row.
      await prisma.$transaction(async (tx) => {
        const order = await tx.order.update({
          where: { trackingId },
          data: {
            ...(status && { status }),
            ...(cancelReason && { cancelReason }),
            ...(crm?.orderId && { crmOrderId: crm.orderId }),
            ...(crm?.status && { crmStatus: crm.status }),
            ...(assembledPhotoUrl && { assembledPhotoUrl }),
          },
        });
        if (status) {
          await tx.orderStatusChange.upsert({
            where: { orderId_status: { orderId: order.id, status } },
            update: {},
            create: { orderId: order.id, status, at: at ?? new Date(), reason: cancelReason },
          });
        }
      });
    },
  };
}
