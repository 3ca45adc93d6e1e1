import { hears } from '@grammyjs/i18n';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Composer } from 'grammy';
import { formatTenge } from '../../common/money';
import { callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { ordersKeyboard } from '../keyboards/orders';
import { displayDate, orderDetails } from '../views';

/** `/orders`: the customer's orders from the read model; details from the workflow; cancel through its validator. */
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

ordersFeature.callbackQuery(callbackPattern.orderDetails, async (ctx) => {
  await ctx.answerCallbackQuery();
  if (!(await ownOrder(ctx, ctx.match[1]))) return void (await ctx.reply(ctx.t('order-not-found')));
  await ctx.reply(orderDetails(ctx.t, await ctx.deps.orders.status(ctx.match[1])));
});

ordersFeature.callbackQuery(callbackPattern.orderCancel, async (ctx) => {
  await ctx.answerCallbackQuery();
  const trackingId = ctx.match[1];
  if (!(await ownOrder(ctx, trackingId))) return void (await ctx.reply(ctx.t('order-not-found')));
  try {
    await ctx.deps.orders.cancel(trackingId, 'cancelled by the customer in Telegram');
    await ctx.reply(ctx.t('order-cancelled', { trackingId }));
  } catch (err) {
    if (!isRefusal(err)) throw err;
    const view = await ctx.deps.orders.status(trackingId);
    await ctx.reply(ctx.t('order-cancel-refused', { trackingId, status: ctx.t(`status-${view.status}`) }));
  }
});

/** The workflow's validator said no (NotCancellable), or the workflow has already finished. */
function isRefusal(err: unknown): boolean {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === 'NotCancellable') return true;
  return /already completed/i.test(String((err as Error)?.message ?? ''));
}
