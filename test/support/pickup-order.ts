import type { OrderInput } from '../../common/order';
import { shopDate } from './dates';

/** A one-bouquet pickup order for tomorrow, as the activity tests place it without a workflow. */
export function pickupOrderInput(trackingId: string): OrderInput {
  return {
    trackingId,
    customer: { phone: '+77015211545' },
    delivery: { type: 'pickup', date: shopDate(1), slot: '14:00-16:00' },
    items: [{ productId: 697695, quantity: 1 }],
    paymentMethod: 'kaspi',
    settings: { paymentDeadlineMs: 1_800_000, latePaymentWatchMs: 86_400_000 },
  };
}

/** Its priced items: 15,000 ₸ of eustomas plus `deliveryFeeKopecks`. */
export function pickupOrderPriced(deliveryFeeKopecks: number) {
  const item = { productId: 697695, title: 'Эустомы', quantity: 1, priceKopecks: 1_500_000 };
  return { items: [item], deliveryFeeKopecks, totalKopecks: 1_500_000 + deliveryFeeKopecks };
}
