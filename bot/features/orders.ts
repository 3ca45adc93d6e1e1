import { hears } from '@grammyjs/i18n';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Composer } from 'grammy';
import { notificationButtons } from '../../activities/notification-buttons';
import { formatTenge } from '../../common/money';
import { callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { REPAY, type RepayArgs } from '../conversations/repay';
import { languageOf } from '../i18n';
import { cancelConfirmKeyboard, ordersKeyboard } from '../keyboards/orders';
import { displayDate, orderDetails } from '../views';

/**
 * `/orders` and the buttons under status messages: the customer's orders from the read model; details from the
 * workflow; cancel (after "are you sure?") through its validator; a new Kaspi request to another number.
 */
export const ordersFeature = new Composer<BotContext>();

const LISTED = 10;

async function listOrders(ctx: BotContext): Promise<void> {
  const orders = await ctx.deps.prisma.order.findMany({
    where: { customer: { telegramUserId: BigInt(ctx.from!.id) } },
    orderBy: { createdAt: 'desc' },
    take: LISTED,
  });
  if (orders.length === 0) {
    await ctx.reply(ctx.t('orders-none'));
    return;
  }
  const lines = orders.map((o) =>
    ctx.t('orders-line', {
      trackingId: o.trackingId,
      status: ctx.t(`status-${o.status}`),
      total: formatTenge(Number(o.totalKopecks)),
      date: displayDate(o.deliveryDate),
      slot: o.slot,
    }),
  );
  await ctx.reply([ctx.t('orders-title'), ...lines].join('\n'), { reply_markup: ordersKeyboard(ctx.t, orders) });
}

/** Only the customer's own orders: callback data can be forged. */
const ownOrder = (ctx: BotContext, trackingId: string) =>
  ctx.deps.prisma.order.findFirst({ where: { trackingId, customer: { telegramUserId: BigInt(ctx.from!.id) } } });

ordersFeature.command('orders', listOrders);
ordersFeature.filter(hears('menu-orders'), listOrders);

/** Answers the button, then runs `then` for the customer's own order, or says it is not found. */
const forOwnOrder =
  (then: (ctx: BotContext, trackingId: string) => Promise<unknown>) =>
  async (ctx: BotContext & { match: string | RegExpMatchArray }) => {
    await ctx.answerCallbackQuery();
    const trackingId = String(ctx.match[1]);
    if (!(await ownOrder(ctx, trackingId))) return void (await ctx.reply(ctx.t('order-not-found')));
    await then(ctx, trackingId);
  };

ordersFeature.callbackQuery(
  callbackPattern.orderDetails,
  forOwnOrder(async (ctx, id) => {
    const view = await ctx.deps.orders.status(id);
    // The same actions as under the status messages: cancel while allowed, pay again, contact the shop.
    await ctx.reply(orderDetails(ctx.t, view), {
      reply_markup: notificationButtons(view.status, languageOf(ctx), view),
    });
  }),
);

ordersFeature.callbackQuery(
  callbackPattern.orderCancel,
  forOwnOrder((ctx, id) =>
    ctx.reply(ctx.t('order-cancel-confirm', { trackingId: id }), { reply_markup: cancelConfirmKeyboard(ctx.t, id) }),
  ),
);

ordersFeature.callbackQuery(
  callbackPattern.orderKeep,
  forOwnOrder((ctx, id) => ctx.reply(ctx.t('order-kept', { trackingId: id }))),
);

ordersFeature.callbackQuery(
  callbackPattern.orderCancelSure,
  forOwnOrder(async (ctx, trackingId) => {
    try {
      await ctx.deps.orders.cancel(trackingId, 'cancelled by the customer in Telegram');
      await ctx.reply(ctx.t('order-cancelled', { trackingId }));
    } catch (err) {
      if (!isRefusal(err)) throw err;
      const view = await ctx.deps.orders.status(trackingId);
      await ctx.reply(ctx.t('order-cancel-refused', { trackingId, status: ctx.t(`status-${view.status}`) }));
    }
  }),
);

ordersFeature.callbackQuery(
  callbackPattern.orderRepay,
  forOwnOrder(async (ctx, trackingId) => {
    if (!ctx.deps.orders.requestNewPayment) {
      return ctx.reply(ctx.t('repay-unavailable', { phone: ctx.deps.config.shop.phone }));
    }
    const view = await ctx.deps.orders.status(trackingId);
    if (view.status !== 'awaiting_payment') {
      return ctx.reply(ctx.t('repay-not-awaiting', { trackingId, status: ctx.t(`status-${view.status}`) }));
    }
    const attempt = view.payment.attempt ?? 0;
    const args: RepayArgs = { trackingId, language: languageOf(ctx), phone: view.customer.phone, attempt };
    await ctx.conversation.enter(REPAY, args);
  }),
);

/** The workflow's validator said no (NotCancellable), or the workflow has already finished. */
function isRefusal(err: unknown): boolean {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === 'NotCancellable') return true;
  return /already completed/i.test(String((err as Error)?.message ?? ''));
}
