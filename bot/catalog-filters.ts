import { InlineKeyboard } from 'grammy';
import type { CatalogFilter } from './catalog';
import { callbackData } from './callback-data';
import type { Translate } from './i18n';

/** The catalog's choices: flowers (searched words) and price ranges; the code travels in the paging buttons. */
export const CATALOG_FILTERS: Record<string, { label: string; filter: CatalogFilter }> = {
  rose: { label: 'filter-rose', filter: { query: 'роза' } },
  tulip: { label: 'filter-tulip', filter: { query: 'тюльпан' } },
  peony: { label: 'filter-peony', filter: { query: 'пион' } },
  hydrangea: { label: 'filter-hydrangea', filter: { query: 'гортензия' } },
  chrys: { label: 'filter-chrysanthemum', filter: { query: 'хризантема' } },
  p1: { label: 'filter-cheap', filter: { maxKopecks: 1_500_000 } },
  p2: { label: 'filter-middle', filter: { minKopecks: 1_500_001, maxKopecks: 3_000_000 } },
  p3: { label: 'filter-premium', filter: { minKopecks: 3_000_001 } },
};

export function catalogFiltersKeyboard(t: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  Object.entries(CATALOG_FILTERS).forEach(([code, { label }], i) => {
    keyboard.text(t(label), callbackData.catalog(0, code));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.row().text(t('filter-all'), callbackData.catalog(0));
}
