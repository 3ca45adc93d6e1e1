import { Composer, InlineKeyboard } from 'grammy';
import { callbackData, callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { CUSTOMER_WORDS, type CustomerWordsArgs } from '../conversations/customer-words';
import { languageOf } from '../i18n';
import { refusedByOrder } from '../order-refusals';

/**
 * The buttons of the delivery day: "Всё отлично" / "Попросить изменить" under the florist's photo, and the stars
 * after delivery. The workflow's validators decide whether the answer counts (whose order, which photo, when).
 */
export const deliveryDayFeature = new Composer<BotContext>();

deliveryDayFeature.callbackQuery(callbackPattern.approval, async (ctx) => {
  await ctx.answerCallbackQuery();
  const [, decision, trackingId, round] = ctx.match;
  const orders = ctx.deps.orders;
  if (!orders.answerApproval) return;
  if (decision === 'c') {
    const args: CustomerWordsArgs = { kind: 'change', trackingId, round: Number(round), language: languageOf(ctx) };
    return ctx.conversation.enter(CUSTOMER_WORDS, args);
  }
  try {
    await orders.answerApproval(trackingId, { telegramUserId: ctx.from.id, round: Number(round), decision: 'approve' });
    await ctx.reply(ctx.t('approval-approved', { trackingId }));
  } catch (err) {
    if (!refusedByOrder(err)) throw err;
    await ctx.reply(ctx.t('approval-too-late', { trackingId }));
  }
});

deliveryDayFeature.callbackQuery(callbackPattern.rate, async (ctx) => {
  await ctx.answerCallbackQuery();
  const [, trackingId, stars] = ctx.match;
  if (!ctx.deps.orders.rate) return;
  try {
    await ctx.deps.orders.rate(trackingId, { telegramUserId: ctx.from.id, stars: Number(stars) });
  } catch (err) {
    if (!refusedByOrder(err)) throw err;
    return ctx.reply(ctx.t('rating-too-late', { trackingId }));
  }
  const skip = new InlineKeyboard().text(ctx.t('rating-no-comment-button'), callbackData.rateNoComment(trackingId));
  await ctx.reply(ctx.t('rating-thanks-ask'), { reply_markup: skip });
  const args: CustomerWordsArgs = { kind: 'rating', trackingId, language: languageOf(ctx) };
  await ctx.conversation.enter(CUSTOMER_WORDS, args);
});

// "Без комментария" after the conversation has ended (the half hour passed, or another command came between).
deliveryDayFeature.callbackQuery(callbackPattern.rateNoComment, (ctx) => ctx.answerCallbackQuery());
