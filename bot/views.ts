import type { OrderView } from '../common/order';
import { formatTenge } from '../common/money';
import type { ProductCard } from './catalog';
import type { Translate } from './i18n';

/** Caption of a product card: title, price, size and composition. */
export function productCaption(t: Translate, card: ProductCard): string {
  const size = [card.height, card.width].filter(Boolean).join(' × ');
  return [
    card.title,
    formatTenge(card.priceKopecks),
    size ? t('card-size', { size }) : '',
    card.composition ? t('card-composition', { composition: card.composition }) : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** "2026-12-01" → "01.12.2026". */
export const displayDate = (isoDate: string): string => isoDate.split('-').reverse().join('.');

export function orderDetails(t: Translate, view: OrderView): string {
  return t('order-details', {
    trackingId: view.trackingId,
    status: t(`status-${view.status}`),
    items: view.items.map((i) => `${i.title} × ${i.quantity}`).join('\n'),
    total: formatTenge(view.totalKopecks),
    date: displayDate(view.delivery.date),
    slot: view.delivery.slot,
    payment: t(`payment-${view.payment.status}`),
  });
}
