import { Api } from 'grammy';
import type { Language, OrderView } from '../common/order';
import { notificationText, type NotificationEvent } from './notification-texts';

export interface NotifyRequest {
  chatId?: number;
  language: Language;
  event: NotificationEvent;
  order: OrderView;
}

/** Telegram messages to the customer; an order without a chat (placed through the API) is skipped. */
export function createNotificationActivities({ telegram }: { telegram: Api }) {
  return {
    async notifyCustomer({ chatId, language, event, order }: NotifyRequest): Promise<{ sent: boolean }> {
      if (!chatId) return { sent: false };
      const text = notificationText(event, language, order);
      if (event === 'assembled' && order.assembledPhotoUrl) {
        await telegram.sendPhoto(chatId, order.assembledPhotoUrl, { caption: text });
      } else {
        await telegram.sendMessage(chatId, text);
      }
      return { sent: true };
    },
  };
}
