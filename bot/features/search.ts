import { Composer } from 'grammy';
import { callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { openCatalogKeyboard } from '../keyboards/product-card';
import { replyWithCard, showCardInPlace } from '../product-cards';

/** Any other text is a search: "розы", "эустома белая", "раушан", "tulips". */
export const searchFeature = new Composer<BotContext>();

async function showResult(ctx: BotContext, query: string, index: number, paging: boolean): Promise<void> {
  const page = await ctx.deps.catalog.search(query, index);
  if (!page.card) {
    await ctx.reply(ctx.t('search-nothing', { query }), { reply_markup: openCatalogKeyboard(ctx.t) });
    return;
  }
  const at = { index: page.index, total: page.total, kind: 'search' as const };
  if (paging) return showCardInPlace(ctx, page.card, at);
  await ctx.reply(ctx.t('search-found', { query, total: page.total }));
  await replyWithCard(ctx, page.card, at);
}

searchFeature.on('message:text', async (ctx, next) => {
  const query = ctx.message.text.trim().slice(0, 100);
  if (query.startsWith('/')) return next();
  ctx.session.searchQuery = query;
  await showResult(ctx, query, 0, false);
});

searchFeature.callbackQuery(callbackPattern.search, async (ctx) => {
  await ctx.answerCallbackQuery();
  const query = ctx.session.searchQuery;
  if (!query) return;
  await showResult(ctx, query, Number(ctx.match[1]), true);
});
