import { InlineKeyboard } from 'grammy';
import { callbackData } from '../callback-data';
import type { Translate } from '../i18n';

/** Card buttons: previous / position / next when paging through a list, and order. */
export function productCardKeyboard(
  t: Translate,
  externalId: number,
  paging?: { index: number; total: number; kind: 'catalog' | 'search' },
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (paging && paging.total > 1) {
    const to = paging.kind === 'catalog' ? callbackData.catalog : callbackData.search;
    const { index, total } = paging;
    keyboard
      .text('◀️', to((index - 1 + total) % total))
      .text(`${index + 1}/${total}`, callbackData.noop)
      .text('▶️', to((index + 1) % total))
      .row();
  }
  return keyboard.text(t('card-order'), callbackData.order(externalId));
}

export const openCatalogKeyboard = (t: Translate) =>
  new InlineKeyboard().text(t('search-open-catalog'), callbackData.catalog(0));
