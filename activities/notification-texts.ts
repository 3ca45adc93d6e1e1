import { translatorFor } from '../bot/i18n';
import { formatTenge } from '../common/money';
import { shopClock } from '../common/shop-time';
import type { Language, OrderView } from '../common/order';

/**
 * A status change, a refund, the payment reminder, or a delivery-day message (photo to approve, no answer in time,
 * reminder, rating).
 */
export type NotificationEvent =
  | OrderView['status']
  | 'refunded'
  | 'payment_reminder'
  | 'approval_request'
  | 'approval_timed_out'
  | 'delivery_reminder'
  | 'rating_request';

export interface NotificationOptions {
  /** The shop's time zone: deadlines are said in it ("оплатите до 14:35"). */
  timeZone?: string;
}

/** Events whose words differ when the customer picks the bouquet up ("можно забирать", not "курьер в пути"). */
const PICKUP_WORDING = new Set<NotificationEvent>([
  'assembled',
  'in_delivery',
  'delivered',
  'approval_timed_out',
  'delivery_reminder',
]);

/** "2026-12-02T09:35:00Z" → "14:35" in Asia/Almaty. */
export function shopTime(iso: string, timeZone: string): string {
  const { minutes } = shopClock(new Date(iso), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

/** The customer's message for an order event, from the bot's locale files (section "Notifications"). */
export function notificationText(
  event: NotificationEvent,
  language: Language,
  order: OrderView,
  { timeZone = 'Asia/Almaty' }: NotificationOptions = {},
): string {
  const t = translatorFor(language);
  const pickup = order.delivery.type === 'pickup' && PICKUP_WORDING.has(event);
  const reason = order.cancelReason ? `cancel-reason-${order.cancelReason}` : 'cancel-reason-other';
  return t(pickup ? `notify-${event}-pickup` : `notify-${event}`, {
    trackingId: order.trackingId,
    total: formatTenge(order.totalKopecks),
    phone: order.customer.phone,
    deadline: order.payment.deadline ? shopTime(order.payment.deadline, timeZone) : 'none',
    reason: t(reason),
    slot: order.delivery.slot,
    recipient: order.recipient?.name ?? '—',
    address: order.delivery.address ?? '—',
  });
}

/** The line added when Telegram cannot fetch the bouquet's photo and the text goes alone. */
export const photoLinkText = (language: Language, url: string): string =>
  translatorFor(language)('notify-photo-link', { url });
