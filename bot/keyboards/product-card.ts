import { InlineKeyboard } from 'grammy';
import { callbackData } from '../callback-data';
import type { Translate } from '../i18n';

export interface Paging {
  index: number;
  total: number;
  kind: 'catalog' | 'search';
  /** A catalog filter's code (bot/catalog-filters.ts). */
  filter?: string;
}

/** Card buttons: previous / position / next when paging through a list, order, and the catalog's choices. */
export function productCardKeyboard(t: Translate, externalId: number, paging?: Paging): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (paging && paging.total > 1) {
    const to = (i: number) =>
      paging.kind === 'catalog' ? callbackData.catalog(i, paging.filter) : callbackData.search(i);
    const { index, total } = paging;
    keyboard
      .text('◀️', to((index - 1 + total) % total))
      .text(`${index + 1}/${total}`, callbackData.noop)
      .text('▶️', to((index + 1) % total))
      .row();
  }
  keyboard.text(t('card-order'), callbackData.order(externalId));
  if (paging?.kind === 'catalog') keyboard.row().text(t('card-filters'), callbackData.catalogFilters);
  return keyboard;
}

export const openCatalogKeyboard = (t: Translate) =>
  new InlineKeyboard().text(t('search-open-catalog'), callbackData.catalog(0));
