import { randomUUID } from 'node:crypto';
import { Composer } from 'grammy';
import { callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { CHECKOUT, type CheckoutArgs } from '../conversations/checkout';
import { languageOf } from '../i18n';

/** The order button of a card starts a checkout; buttons of a finished checkout are answered, not re-run. */
export const checkoutFeature = new Composer<BotContext>();

checkoutFeature.callbackQuery(callbackPattern.order, async (ctx) => {
  await ctx.answerCallbackQuery();
  const args: CheckoutArgs = { productId: Number(ctx.match[1]), language: languageOf(ctx), checkoutId: randomUUID() };
  await ctx.conversation.enter(CHECKOUT, args);
});

// A second tap on "confirm" (or a tap after a restart of a finished checkout) lands here, not in a new order.
checkoutFeature.callbackQuery(callbackPattern.checkout, (ctx) =>
  ctx.answerCallbackQuery({ text: ctx.t('checkout-already-done') }),
);
