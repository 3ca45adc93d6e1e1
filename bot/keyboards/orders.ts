import { InlineKeyboard } from 'grammy';
import { CANCELLABLE_STATUSES } from '../../common/order';
import type { OrderStatus } from '../../common/contract';
import { callbackData } from '../callback-data';
import type { Translate } from '../i18n';

/** One row per order: details, repeat, and cancel while the order can still be cancelled. */
export function ordersKeyboard(t: Translate, orders: { trackingId: string; status: string }[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const { trackingId, status } of orders) {
    keyboard.text(t('orders-details', { trackingId }), callbackData.orderDetails(trackingId));
    keyboard.text(t('orders-repeat'), callbackData.orderRepeat(trackingId));
    if (CANCELLABLE_STATUSES.includes(status as OrderStatus)) {
      keyboard.text(t('orders-cancel'), callbackData.orderCancel(trackingId));
    }
    keyboard.row();
  }
  return keyboard;
}

export const cancelConfirmKeyboard = (t: Translate, trackingId: string) =>
  new InlineKeyboard()
    .text(t('order-cancel-yes'), callbackData.orderCancelSure(trackingId))
    .text(t('order-cancel-no'), callbackData.orderKeep(trackingId));
