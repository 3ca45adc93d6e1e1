import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { callbackData } from '../bot/callback-data';
import { translatorFor } from '../bot/i18n';
import { CANCELLABLE_STATUSES, type Language, type OrderView } from '../common/order';
import type { NotificationEvent } from './notification-texts';

/**
 * The buttons under a status message: what the customer can do about the order now. Pure: the bot
 * answers these buttons (bot/features/orders.ts, bot/features/shop.ts), checking again that the order is theirs.
 */
export function notificationButtons(
  event: NotificationEvent,
  language: Language,
  order: OrderView,
): InlineKeyboardMarkup | undefined {
  const t = translatorFor(language);
  const button = (key: string, data: string): InlineKeyboardButton => ({ text: t(key), callback_data: data });
  const id = order.trackingId;
  const rows: InlineKeyboardButton[][] = [];

  if (event === 'approval_request' && order.approval?.state === 'awaiting') {
    const round = order.approval.round;
    rows.push([
      button('approval-approve-button', callbackData.approve(id, round)),
      button('approval-change-button', callbackData.askChange(id, round)),
    ]);
  }
  if (event === 'rating_request') {
    const stars = [1, 2, 3, 4, 5].map((n) => ({
      text: t('rating-star-button', { stars: n }),
      callback_data: callbackData.rate(id, n),
    }));
    return { inline_keyboard: [stars] };
  }

  const awaitingPayment = order.status === 'awaiting_payment' && order.payment.status === 'requested';
  if (awaitingPayment && (event === 'awaiting_payment' || event === 'payment_reminder')) {
    rows.push([button('order-repay-button', callbackData.orderRepay(id))]);
  }
  if (order.status === 'cancelled' && order.cancelReason !== 'customer') {
    rows.push([button('order-reorder-button', callbackData.orderRepeat(id))]);
  }
  if (order.status === 'delivered') rows.push([button('order-repeat-button', callbackData.orderRepeat(id))]);

  const details = button('order-details-button', callbackData.orderDetails(id));
  rows.push(
    CANCELLABLE_STATUSES.includes(order.status)
      ? [details, button('order-cancel-button', callbackData.orderCancel(id))]
      : [details],
  );
  rows.push([button('shop-contact', callbackData.shopContact)]);
  return { inline_keyboard: rows };
}
