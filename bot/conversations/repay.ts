import type { Conversation } from '@grammyjs/conversations';
import type { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { Language } from '../../common/order';
import { normalizePhone } from '../../common/phone';
import { OrderBusyError } from '../../orders/update-deadline';
import type { BotContext, BotDeps } from '../context';
import type { Translate } from '../i18n';
import { replyKeyboard } from '../keyboards/checkout';
import { mainMenu } from '../keyboards/main-menu';

export const REPAY = 'repay';

export interface RepayArgs {
  trackingId: string;
  language: Language;
  /** The number the unpaid request went to, offered first. */
  phone?: string;
  /** The bill the customer saw: a retry of this request is the same request (see OrderClient.requestNewPayment). */
  attempt?: number;
}

/** "Счёт не пришёл / другой номер": one question (the number), then a new Kaspi request to it. */
export function createRepay(deps: BotDeps, i18n: I18n<BotContext>) {
  return async function repay(conversation: Conversation<BotContext, Context>, ctx: Context, args: RepayArgs) {
    const t: Translate = (key, variables) => i18n.t(args.language, key, variables);
    const done = { reply_markup: mainMenu(t) };
    await ctx.reply(t('repay-ask', { trackingId: args.trackingId }), {
      reply_markup: replyKeyboard(t, args.phone ? [[args.phone]] : [], (k) =>
        k.requestContact(t('checkout-phone-button')),
      ),
    });
    for (;;) {
      const next = await conversation.wait();
      const text = next.message?.text?.trim();
      if (text?.startsWith('/') || next.callbackQuery) return conversation.halt({ next: true });
      if (text === t('checkout-abandon')) return void (await next.reply(t('checkout-abandoned'), done));
      const phone = normalizePhone(next.message?.contact?.phone_number ?? text ?? '');
      if (!phone) {
        await next.reply(t('checkout-phone-invalid'));
        continue;
      }
      const outcome = await conversation.external(async () => {
        try {
          const view = await deps.orders.requestNewPayment!(args.trackingId, phone, args.attempt);
          // No newer bill: the order had sent one to this number moments ago and answered with it.
          const newer = args.attempt === undefined || (view.payment.attempt ?? 0) > args.attempt;
          return newer ? 'sent' : 'already';
        } catch (err) {
          if (err instanceof OrderBusyError) return 'busy';
          deps.logger.error(
            { trackingId: args.trackingId, error: (err as Error).message },
            'bot: a new payment request failed',
          );
          return 'failed';
        }
      });
      const key = { sent: 'repay-sent', already: 'repay-already', busy: 'order-busy', failed: 'repay-unavailable' }[
        outcome
      ];
      const toCustomer = outcome === 'sent' || outcome === 'already';
      return void (await next.reply(
        t(key, { trackingId: args.trackingId, phone: toCustomer ? phone : deps.config.shop.phone }),
        done,
      ));
    }
  };
}
