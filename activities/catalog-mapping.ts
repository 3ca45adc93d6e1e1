import { parsePriceToKopecks } from '../common/money';
import type { ProductionProduct } from './production-api';

/** The columns our read model keeps for one production product (photos are handled separately). */
export function toProductRow(p: ProductionProduct) {
  return {
    externalId: p.id,
    title: p.title.trim(),
    priceKopecks: parsePriceToKopecks(p.price),
    available: p.isAvailable,
    type: p.type,
    composition: p.composition ?? null,
    height: p.catalogHeight || null,
    width: p.catalogWidth || null,
    discountPct: Number.parseInt(String(p.discount ?? '0'), 10) || 0,
    productionTime: p.productionTime ?? null,
    sourceCreated: p.createdAt ?? null,
  };
}

/** `images` when given, else the single `image`; duplicates and blanks dropped. */
export function productImageUrls(p: ProductionProduct): string[] {
  const urls = p.images?.length ? p.images : p.image ? [p.image] : [];
  return [...new Set(urls.filter(Boolean))];
}
