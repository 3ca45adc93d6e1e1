import { hears } from '@grammyjs/i18n';
import { Composer } from 'grammy';
import { CATALOG_FILTERS, catalogFiltersKeyboard } from '../catalog-filters';
import { callbackData, callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { replyWithCard, showCardInPlace } from '../product-cards';

/** The catalog card by card, all of it or one flower or price range; paging edits the card in place. */
export const catalogFeature = new Composer<BotContext>();

async function showCatalog(ctx: BotContext, index: number, filterCode?: string, inPlace = false): Promise<void> {
  const filter = filterCode ? CATALOG_FILTERS[filterCode]?.filter : undefined;
  const page = await ctx.deps.catalog.page(index, filter);
  if (!page.card) {
    await ctx.reply(ctx.t(filter ? 'catalog-filter-empty' : 'catalog-empty'));
    return;
  }
  const paging = { index: page.index, total: page.total, kind: 'catalog' as const, filter: filter && filterCode };
  await (inPlace ? showCardInPlace(ctx, page.card, paging) : replyWithCard(ctx, page.card, paging));
}

catalogFeature.command('catalog', (ctx) => showCatalog(ctx, 0));
catalogFeature.filter(hears('menu-catalog'), (ctx) => showCatalog(ctx, 0));
catalogFeature.callbackQuery(callbackPattern.catalog, async (ctx) => {
  await ctx.answerCallbackQuery();
  // The card is edited in place; a text message (the filter menu, "open the catalog") cannot take a photo, and a
  // new card is sent under it instead.
  await showCatalog(ctx, Number(ctx.match[1]), ctx.match[2], true);
});
catalogFeature.callbackQuery(callbackData.catalogFilters, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('catalog-filters'), { reply_markup: catalogFiltersKeyboard(ctx.t) });
});
catalogFeature.callbackQuery(callbackData.noop, (ctx) => ctx.answerCallbackQuery());
