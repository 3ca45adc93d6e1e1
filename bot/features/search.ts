import { Composer } from 'grammy';
import { callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { openCatalogKeyboard } from '../keyboards/product-card';
import { replyWithCard } from '../product-cards';

/** Any other text is a search: "розы", "эустома белая". */
export const searchFeature = new Composer<BotContext>();

async function showResult(ctx: BotContext, query: string, index: number, announce: boolean): Promise<void> {
  const page = await ctx.deps.catalog.search(query, index);
  if (!page.card) {
    await ctx.reply(ctx.t('search-nothing', { query }), { reply_markup: openCatalogKeyboard(ctx.t) });
    return;
  }
  if (announce) await ctx.reply(ctx.t('search-found', { query, total: page.total }));
  await replyWithCard(ctx, page.card, { index: page.index, total: page.total, kind: 'search' });
}

searchFeature.on('message:text', async (ctx, next) => {
  const query = ctx.message.text.trim().slice(0, 100);
  if (query.startsWith('/')) return next();
  ctx.session.searchQuery = query;
  await showResult(ctx, query, 0, true);
});

searchFeature.callbackQuery(callbackPattern.search, async (ctx) => {
  await ctx.answerCallbackQuery();
  const query = ctx.session.searchQuery;
  if (!query) return;
  await showResult(ctx, query, Number(ctx.match[1]), false);
});
