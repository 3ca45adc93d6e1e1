import type { Conversation } from '@grammyjs/conversations';
import type { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import { RATING_COMMENT_MS } from '../../common/config';
import type { Language } from '../../common/order';
import { callbackData } from '../callback-data';
import type { BotContext, BotDeps } from '../context';
import type { Translate } from '../i18n';
import { refusedByOrder } from '../order-refusals';

export const CUSTOMER_WORDS = 'customer-words';
const MAX_WORDS = 500;

export interface CustomerWordsArgs {
  /** `change`: what the florist should change in photo `round`; `rating`: the comment after the stars. */
  kind: 'change' | 'rating';
  trackingId: string;
  round?: number;
  language: Language;
}

/** One short text from the customer for the order: a change request, or the optional comment after the stars. */
export function createCustomerWords(deps: BotDeps, i18n: I18n<BotContext>) {
  return async function customerWords(
    conversation: Conversation<BotContext, Context>,
    ctx: Context,
    args: CustomerWordsArgs,
  ) {
    const t: Translate = (key, variables) => i18n.t(args.language, key, variables);
    const telegramUserId = ctx.from!.id;
    const { trackingId } = args;
    if (args.kind === 'change') await ctx.reply(t('approval-change-ask'));
    for (;;) {
      // The comment after the stars is awaited for half an hour, as the workflow does.
      const next = await conversation.wait(args.kind === 'rating' ? { maxMilliseconds: RATING_COMMENT_MS } : {});
      const skipped = args.kind === 'rating' && next.callbackQuery?.data === callbackData.rateNoComment(trackingId);
      const text = next.message?.text?.trim();
      if (!skipped && (!text || text.startsWith('/'))) return conversation.halt({ next: true });
      if (skipped) await next.answerCallbackQuery();
      if (text && text.length > MAX_WORDS) {
        await next.reply(t('customer-words-too-long'));
        continue;
      }
      const answered = await conversation.external(async () => {
        try {
          if (args.kind === 'change')
            await deps.orders.answerApproval!(trackingId, {
              telegramUserId,
              round: args.round!,
              decision: 'change',
              comment: text,
            });
          else await deps.orders.rate!(trackingId, { telegramUserId, comment: text ?? '' });
          return 'ok';
        } catch (err) {
          if (refusedByOrder(err)) return 'refused';
          throw err;
        }
      });
      const done = args.kind === 'change' ? 'approval-change-sent' : 'rating-thanks';
      const late = args.kind === 'change' ? 'approval-too-late' : 'rating-too-late';
      return void (await next.reply(t(answered === 'ok' ? done : late, { trackingId, status: '' })));
    }
  };
}
