import { Composer } from 'grammy';
import { callbackData } from '../callback-data';
import type { BotContext } from '../context';

/** "Связаться с магазином" under status messages: the shop's address, hours and phone. */
export const shopFeature = new Composer<BotContext>();

shopFeature.callbackQuery(callbackData.shopContact, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('shop-info', { ...ctx.deps.config.shop }));
});
