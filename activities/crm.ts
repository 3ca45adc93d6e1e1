import type { OrderInput, OrderView } from '../common/order';
import type { CustomerApprovalBody, ProductionApi } from './production-api';

/** The shop's CRM behind the production API; our tracking id is its idempotency key. */
export function createCrmActivities({ production }: { production: ProductionApi }) {
  return {
    async createCrmOrder({
      input,
      priced,
    }: {
      input: OrderInput;
      priced: Pick<OrderView, 'items' | 'totalKopecks' | 'deliveryFeeKopecks'>;
    }): Promise<{ crmOrderId: number }> {
      const { delivery, recipient } = input;
      const answer = await production.createOrder({
        railway_order_id: input.trackingId,
        customer_phone: input.customer.phone,
        pickup: delivery.type === 'pickup' ? 'Y' : 'N',
        recipient_name: recipient?.name,
        recipient_phone: recipient?.phone,
        delivery_address: delivery.address,
        delivery_date: delivery.date,
        delivery_time: delivery.slot,
        notes: input.cardText ? `Открытка: ${input.cardText}` : undefined,
        delivery_fee: priced.deliveryFeeKopecks,
        items: priced.items.map((i) => ({
          product_id: i.productId,
          quantity: i.quantity,
          price: i.priceKopecks,
          name: i.title,
        })),
        total_price: priced.totalKopecks,
      });
      // `duplicate: true` means an earlier attempt already created it: the same order id, a success.
      return { crmOrderId: answer.order_id };
    },

    async setCrmStatus({ crmOrderId, status }: { crmOrderId: number; status: string }): Promise<void> {
      // "Paid" only moves a new order: a push retried later must not undo the shop's progress or cancellation.
      // The CRM has no compare-and-set, so this narrows the window to one round trip rather than closing it.
      if (status === 'PD' && (await getCrmOrder(crmOrderId)).status !== 'N') return;
      await production.changeStatus(crmOrderId, status);
    },

    async sendCustomerApproval(a: {
      crmOrderId: number;
      key: string;
      decision: CustomerApprovalBody['decision'];
      photoUrl: string;
      comment?: string;
    }): Promise<void> {
      await production.customerApproval({
        id: a.crmOrderId,
        key: a.key,
        decision: a.decision,
        photo_url: a.photoUrl,
        comment: a.comment,
      });
    },

    async sendRating({
      crmOrderId,
      key,
      stars,
      comment,
    }: {
      crmOrderId: number;
      key: string;
      stars: number;
      comment?: string;
    }) {
      await production.rating({ id: crmOrderId, key, stars, comment });
    },

    getCrmOrder,
  };

  async function getCrmOrder(crmOrderId: number): Promise<{ status: string; assembledImage?: string }> {
    const detail = await production.orderDetail(crmOrderId);
    return {
      status: detail.raw?.statusId ?? detail.status_key ?? 'N',
      assembledImage: detail.raw?.assembledImage ?? undefined,
    };
  }
}
