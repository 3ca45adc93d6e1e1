import { hears } from '@grammyjs/i18n';
import { Composer } from 'grammy';
import type { ProductCard } from '../catalog';
import type { BotContext } from '../context';
import { openCatalogKeyboard } from '../keyboards/product-card';
import type { PhotoMatch } from '../photo-search-port';
import { replyWithCard } from '../product-cards';
import { downloadFile, largestPhoto } from '../telegram-files';

const SHOWN = 3;
const IMAGE_TYPES = /^image\/(jpeg|png|webp)$/;

export const photoSearchFeature = new Composer<BotContext>();

photoSearchFeature.filter(hears('menu-photo'), (ctx) => ctx.reply(ctx.t('photo-ask')));

photoSearchFeature.on('message:photo', (ctx) => searchWith(ctx, largestPhoto(ctx.message.photo).file_id));

// A photo sent "as a file" (uncompressed) is searched like a photo; other files are politely refused.
photoSearchFeature.on('message:document', async (ctx) => {
  const { mime_type: mime, file_id: fileId } = ctx.message.document;
  if (!mime || !IMAGE_TYPES.test(mime)) return void (await ctx.reply(ctx.t('photo-not-image')));
  await searchWith(ctx, fileId);
});

async function searchWith(ctx: BotContext, fileId: string): Promise<void> {
  await ctx.replyWithChatAction('typing');
  let found: { exact: PhotoMatch[]; similar: PhotoMatch[] };
  try {
    const bytes = await downloadFile(ctx.api, ctx.deps.config.apiRoot, fileId);
    found = await ctx.deps.searchByPhoto(bytes);
  } catch (err) {
    ctx.deps.logger.warn({ error: (err as Error).message }, 'bot: photo search failed');
    await ctx.reply(ctx.t('photo-failed'));
    return;
  }
  const exact = await cardsOf(ctx, found.exact);
  const similar = await cardsOf(
    ctx,
    found.similar.filter((m) => !found.exact.some((e) => e.productId === m.productId)),
  );
  if (exact.length === 0 && similar.length === 0) {
    await ctx.reply(ctx.t('photo-nothing'), { reply_markup: openCatalogKeyboard(ctx.t) });
    return;
  }
  for (const [header, cards] of [
    ['photo-exact', exact],
    ['photo-similar', similar],
  ] as const) {
    if (cards.length === 0) continue;
    await ctx.reply(ctx.t(header));
    for (const card of cards) await replyWithCard(ctx, card);
  }
}

/** Matches as catalog cards, best first; products gone from the catalog are left out. */
async function cardsOf(ctx: BotContext, matches: PhotoMatch[]) {
  const sorted = [...matches].sort((a, b) => b.similarity - a.similarity).slice(0, SHOWN);
  const cards = await Promise.all(sorted.map((m) => ctx.deps.catalog.byId(m.productId)));
  return cards.filter((c): c is ProductCard => c !== null && c.available);
}
