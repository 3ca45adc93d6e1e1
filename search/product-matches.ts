import type { PrismaClient } from '../db/client';
import type { PhotoBands, PhotoMatch, PhotoSearchResult } from './photo-search-port';

/** A photo's score before it is grouped: `productId` is the database id. */
export interface ScoredPhoto {
  productId: number;
  photoKey?: string;
  similarity: number;
}

/**
 * Groups scored photos by product (best photo wins), keeps available products only, and splits them into the
 * exact and similar bands. Titles and prices are read fresh from the catalog read model.
 */
export async function productMatches(
  prisma: PrismaClient,
  scored: ScoredPhoto[],
  bands: PhotoBands,
): Promise<Omit<PhotoSearchResult, 'tookMs'>> {
  const best = new Map<number, ScoredPhoto>();
  for (const s of scored) {
    if (s.similarity < bands.similarThreshold) continue;
    const seen = best.get(s.productId);
    if (!seen || s.similarity > seen.similarity) best.set(s.productId, s);
  }
  if (!best.size) return { exact: [], similar: [] };
  const products = await prisma.product.findMany({
    where: { id: { in: [...best.keys()] }, available: true },
    include: { photos: { orderBy: { position: 'asc' } } },
  });
  const matches = products
    .map((p): PhotoMatch => {
      const hit = best.get(p.id)!;
      const photo = p.photos.find((ph) => hit.photoKey && ph.storageKey === hit.photoKey) ?? p.photos[0];
      return {
        productId: p.externalId,
        id: p.id,
        title: p.title,
        priceKopecks: p.priceKopecks,
        imageUrl: photo ? (photo.publicUrl ?? photo.sourceUrl) : null,
        similarity: Math.round(hit.similarity * 1000) / 1000,
      };
    })
    .sort((a, b) => b.similarity - a.similarity);
  return {
    exact: matches.filter((m) => m.similarity >= bands.exactThreshold).slice(0, bands.maxExact),
    similar: matches
      .filter((m) => m.similarity < bands.exactThreshold && m.similarity >= bands.similarThreshold)
      .slice(0, bands.maxSimilar),
  };
}
