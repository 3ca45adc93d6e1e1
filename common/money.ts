/** Money is kept as integer tiyn (1 ₸ = 100 tiyn); the contract calls the field `...Kopecks`. */

/** "17 820 ₸" (any space variant, with or without ₸, "7500", "1 234,50") → 1 782 000 tiyn. */
export function parsePriceToKopecks(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new Error(`not a price: ${text}`);
    return Math.round(text * 100);
  }
  const cleaned = text.replace(/[\s\u00a0\u202f\u2009\u2007]/g, '').replace(/(₸|тг\.?|KZT)$/i, '');
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) throw new Error(`not a price: ${JSON.stringify(text)}`);
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return Number(match[1]) * 100 + Number(fraction);
}

/** 1 500 000 tiyn → "15 000 ₸" (non-breaking thin spaces keep the number on one line). */
export function formatTenge(kopecks: number): string {
  const tenge = Math.round(kopecks / 100);
  return `${String(tenge).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')}\u00a0₸`;
}

/** Whole tenge for services that take tenge (Kaspi). */
export const kopecksToTenge = (kopecks: number): number => Math.round(kopecks / 100);
