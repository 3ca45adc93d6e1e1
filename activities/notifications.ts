import { ApplicationFailure } from '@temporalio/common';
import { GrammyError, type Api } from 'grammy';
import type { PrismaClient } from '../db/client';
import type { Language, OrderView } from '../common/order';
import { notificationButtons } from './notification-buttons';
import { notificationText, photoLinkText, type NotificationEvent } from './notification-texts';

export interface NotifyRequest {
  chatId?: number;
  language: Language;
  event: NotificationEvent;
  /** What makes the message unique on the order (the event, or e.g. `awaiting_payment:2` for a second bill). */
  key?: string;
  order: OrderView;
  /** Send the florist's photo with this message. */
  withPhoto?: boolean;
}

/** What became of one message: `in_doubt` when Telegram may have shown it but its answer was lost. */
export type NotifyOutcome = 'sent' | 'skipped' | 'blocked' | 'in_doubt' | 'already';

const BLOCKED = 403;
const TOO_MANY = 429;

/**
 * Telegram messages to the customer, once per (order, event): the row is claimed before sending, so a retried
 * activity never sends twice. Telegram has no idempotency key, so a send whose answer was lost is not repeated
 * (recorded `in_doubt`); a definite refusal is retried, a blocked bot (403) is final. An order without a chat
 * (placed through the API) is skipped.
 */
export function createNotificationActivities({
  telegram,
  prisma,
  shopTimeZone,
}: {
  telegram: Api;
  prisma: PrismaClient;
  shopTimeZone: string;
}) {
  async function deliver(
    chatId: number,
    event: NotificationEvent,
    language: Language,
    order: OrderView,
    withPhoto: boolean,
  ) {
    const text = notificationText(event, language, order, { timeZone: shopTimeZone });
    const reply_markup = notificationButtons(event, language, order);
    if (!withPhoto || !order.assembledPhotoUrl) return telegram.sendMessage(chatId, text, { reply_markup });
    try {
      return await telegram.sendPhoto(chatId, order.assembledPhotoUrl, { caption: text, reply_markup });
    } catch (err) {
      // Telegram could not fetch the photo (400): the customer still gets the news and the link.
      if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
      return telegram.sendMessage(chatId, `${text}\n${photoLinkText(language, order.assembledPhotoUrl)}`, {
        reply_markup,
      });
    }
  }

  return {
    async notifyCustomer({
      chatId,
      language,
      event,
      key: uniqueKey = event,
      order,
      withPhoto = false,
    }: NotifyRequest): Promise<{
      outcome: NotifyOutcome;
    }> {
      if (!chatId) return { outcome: 'skipped' };
      const { id: orderId } = await prisma.order.findUniqueOrThrow({
        where: { trackingId: order.trackingId },
        select: { id: true },
      });
      const key = { orderId_event: { orderId, event: uniqueKey } };
      const earlier = await prisma.notification.findUnique({ where: key });
      if (earlier?.status === 'sending') {
        // A previous attempt claimed it and stopped before recording the answer: shown or not, nobody knows.
        await prisma.notification.update({ where: key, data: { status: 'in_doubt' } });
        return { outcome: 'in_doubt' };
      }
      // Still in doubt when asked again (a retry after the answer was recorded): said again, so it is flagged.
      if (earlier?.status === 'in_doubt') return { outcome: 'in_doubt' };
      if (earlier && earlier.status !== 'pending') return { outcome: 'already' };
      try {
        await prisma.notification.upsert({
          where: key,
          create: { orderId, event: uniqueKey, chatId: BigInt(chatId), status: 'sending' },
          update: { status: 'sending' },
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') return { outcome: 'already' }; // a racing attempt has it
        throw err;
      }

      let message: { message_id: number };
      try {
        message = await deliver(chatId, event, language, order, withPhoto);
      } catch (err) {
        if (!(err instanceof GrammyError)) {
          await prisma.notification.update({ where: key, data: { status: 'in_doubt', error: (err as Error).message } });
          return { outcome: 'in_doubt' };
        }
        const error = `${err.error_code}: ${err.description}`;
        if (err.error_code === BLOCKED) {
          await prisma.notification.update({ where: key, data: { status: 'blocked', error } });
          return { outcome: 'blocked' };
        }
        const retryable = err.error_code === TOO_MANY || err.error_code >= 500;
        await prisma.notification.update({ where: key, data: { status: retryable ? 'pending' : 'failed', error } });
        const retryAfter = err.parameters?.retry_after;
        throw ApplicationFailure.create({
          type: 'NotificationRefused',
          message: `Telegram refused the ${event} message: ${error}`,
          nonRetryable: !retryable,
          nextRetryDelay: retryAfter ? `${retryAfter}s` : undefined,
        });
      }
      await prisma.notification.update({ where: key, data: { status: 'sent', messageId: message.message_id } });
      return { outcome: 'sent' };
    },
  };
}
