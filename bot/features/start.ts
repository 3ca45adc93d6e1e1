import { Composer } from 'grammy';
import type { BotContext } from '../context';
import { mainMenu } from '../keyboards/main-menu';
import { replyWithCard } from '../product-cards';

/** /start and /menu; a deep link `t.me/<bot>?start=p<productId>` opens that bouquet's card. */
export const startFeature = new Composer<BotContext>();

const DEEP_LINK_PRODUCT = /^p(\d{1,10})$/;

startFeature.command(['start', 'menu'], async (ctx) => {
  await ctx.reply(ctx.t('start-greeting', { name: ctx.from?.first_name ?? '' }), { reply_markup: mainMenu(ctx.t) });
  const productId = DEEP_LINK_PRODUCT.exec(ctx.match)?.[1];
  if (productId === undefined) return;
  const card = await ctx.deps.catalog.byExternalId(Number(productId));
  if (card?.available) await replyWithCard(ctx, card);
  else await ctx.reply(ctx.t('product-not-found'));
});
