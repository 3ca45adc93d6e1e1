import { randomUUID } from 'node:crypto';
import { Composer } from 'grammy';
import { callbackData, callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { CHECKOUT, type CheckoutArgs } from '../conversations/checkout';
import { draftFromOrder } from '../conversations/checkout-draft';
import { pausedCheckouts } from '../conversations/checkout-memory';
import { languageOf } from '../i18n';

/**
 * Starts checkouts: a card's order button, "continue" after a command, "repeat" / "order again" of an earlier
 * order (prefilled, only the day and time asked). Buttons of a finished checkout are answered, not re-run.
 */
export const checkoutFeature = new Composer<BotContext>();

const start = (ctx: BotContext, productId: number, draft?: CheckoutArgs['draft']) =>
  ctx.conversation.enter(CHECKOUT, { productId, language: languageOf(ctx), checkoutId: randomUUID(), draft });

checkoutFeature.callbackQuery(callbackPattern.order, async (ctx) => {
  await ctx.answerCallbackQuery();
  await start(ctx, Number(ctx.match[1]));
});

checkoutFeature.callbackQuery(callbackData.checkout.resume, async (ctx) => {
  await ctx.answerCallbackQuery();
  const args = await pausedCheckouts(ctx.deps.prisma).read(String(ctx.from.id));
  if (!args) return void (await ctx.reply(ctx.t('checkout-nothing-to-resume')));
  await ctx.conversation.enter(CHECKOUT, { ...args, language: languageOf(ctx) });
});

checkoutFeature.callbackQuery(callbackPattern.orderRepeat, async (ctx) => {
  await ctx.answerCallbackQuery();
  // Only the customer's own orders: callback data can be forged.
  const order = await ctx.deps.prisma.order.findFirst({
    where: { trackingId: ctx.match[1], customer: { telegramUserId: BigInt(ctx.from.id) } },
    include: { items: { take: 1 } },
  });
  const item = order?.items[0];
  if (!order || !item) return void (await ctx.reply(ctx.t('order-not-found')));
  await start(ctx, item.productExternalId, draftFromOrder({ ...order, quantity: item.quantity }));
});

// A second tap on "confirm" (or a tap after a restart of a finished checkout) lands here, not in a new order.
checkoutFeature.callbackQuery(callbackPattern.checkout, (ctx) =>
  ctx.answerCallbackQuery({ text: ctx.t('checkout-already-done') }),
);
