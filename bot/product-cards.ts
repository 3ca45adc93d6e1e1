import { GrammyError } from 'grammy';
import type { ProductCard } from './catalog';
import type { BotContext } from './context';
import { productCardKeyboard, type Paging } from './keyboards/product-card';
import { productCaption } from './views';

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

/**
 * Paging: the card whose button was pressed is edited in place (photo, caption and buttons); a card that cannot
 * be edited (a text card, a message too old) is sent anew.
 */
export async function showCardInPlace(ctx: BotContext, card: ProductCard, paging: Paging): Promise<void> {
  const message = ctx.callbackQuery?.message;
  const caption = productCaption(ctx.t, card);
  const reply_markup = productCardKeyboard(ctx.t, card.externalId, paging);
  // Tried whenever there is a photo to show: Telegram refuses to put media into a text message, and then a new card goes.
  if (message && card.photoUrl) {
    try {
      await ctx.editMessageMedia({ type: 'photo', media: card.photoUrl, caption }, { reply_markup });
      return;
    } catch (err) {
      if (!(err instanceof GrammyError)) throw err;
      if (/not modified/.test(err.description)) return;
    }
  }
  await replyWithCard(ctx, card, paging);
}
