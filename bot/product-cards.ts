import { GrammyError } from 'grammy';
import type { ProductCard } from './catalog';
import type { BotContext } from './context';
import { productCardKeyboard } from './keyboards/product-card';
import { productCaption } from './views';

type Paging = Parameters<typeof productCardKeyboard>[2];

/** A product as photo + caption + buttons; a photo Telegram cannot fetch falls back to text. */
export async function replyWithCard(ctx: BotContext, card: ProductCard, paging?: Paging): Promise<void> {
  const caption = productCaption(ctx.t, card);
  const reply_markup = productCardKeyboard(ctx.t, card.externalId, paging);
  if (card.photoUrl) {
    try {
      await ctx.replyWithPhoto(card.photoUrl, { caption, reply_markup });
      return;
    } catch (err) {
      if (!(err instanceof GrammyError)) throw err;
    }
  }
  await ctx.reply(caption, { reply_markup });
}
