import { hears } from '@grammyjs/i18n';
import { Composer } from 'grammy';
import { callbackData, callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { replyWithCard } from '../product-cards';

export const catalogFeature = new Composer<BotContext>();

async function showCatalog(ctx: BotContext, index: number): Promise<void> {
  const page = await ctx.deps.catalog.page(index);
  if (!page.card) {
    await ctx.reply(ctx.t('catalog-empty'));
    return;
  }
  await replyWithCard(ctx, page.card, { index: page.index, total: page.total, kind: 'catalog' });
}

catalogFeature.command('catalog', (ctx) => showCatalog(ctx, 0));
catalogFeature.filter(hears('menu-catalog'), (ctx) => showCatalog(ctx, 0));
catalogFeature.callbackQuery(callbackPattern.catalog, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showCatalog(ctx, Number(ctx.match[1]));
});
catalogFeature.callbackQuery(callbackData.noop, (ctx) => ctx.answerCallbackQuery());
