import { orderWorkflowId } from '../common/contract';
import type { OrderView } from '../common/order';
import type { StatusView } from '../orders/status-fallback';

/** +77015211545 → +7701***1545. */
export const maskPhone = (phone: string): string =>
  phone.length > 9 ? `${phone.slice(0, 5)}***${phone.slice(-4)}` : '***';

/** "Астана, ул. Кенесары 40, кв 5" → "Астана, ***": the city stays, the street and flat do not. */
export const maskAddress = (address: string): string => {
  const comma = address.indexOf(',');
  return comma > 0 && comma <= 40 ? `${address.slice(0, comma)}, ***` : `${address.slice(0, 3)}***`;
};

const maskName = (name: string): string => `${[...name][0] ?? ''}.`;

/** What anyone holding the tracking id sees: the order's progress, with personal data partly hidden. */
export function maskedView(view: StatusView) {
  return {
    trackingId: view.trackingId,
    status: view.status,
    cancelReason: view.cancelReason,
    totalKopecks: view.totalKopecks,
    deliveryFeeKopecks: view.deliveryFeeKopecks,
    items: view.items,
    delivery: { ...view.delivery, address: view.delivery.address && maskAddress(view.delivery.address) },
    recipient: view.recipient && {
      name: maskName(view.recipient.name),
      phone: view.recipient.phone && maskPhone(view.recipient.phone),
    },
    customer: { phone: maskPhone(view.customer.phone), name: view.customer.name && maskName(view.customer.name) },
    payment: { status: view.payment.status },
    history: view.history,
    assembledPhotoUrl: view.assembledPhotoUrl,
    masked: true,
    source: view.source,
  };
}

/** The answer to a placed order. */
export const orderSummary = (view: OrderView) => ({
  trackingId: view.trackingId,
  workflowId: orderWorkflowId(view.trackingId),
  status: view.status,
  totalKopecks: view.totalKopecks,
});
