import type { PhotoSearchHistogram } from '../common/metrics';
import type { PhotoSearch } from '../search';
/** One match of a photo search. `productId` is the database `Product.id` (as in search/photo-index-port.ts). */
export interface PhotoMatch {
  productId: number;
  title: string;
  priceKopecks: number;
  imageUrl?: string;
  similarity: number;
}

/** The photo search the bot asks; injected so the bot does not depend on how search works. */
export type SearchByPhoto = (bytes: Buffer) => Promise<{ exact: PhotoMatch[]; similar: PhotoMatch[] }>;

/** Without a photo search nothing matches, and the customer is offered the catalog. */
export const noPhotoSearch: SearchByPhoto = async () => ({ exact: [], similar: [] });

/** The shared search module as the bot sees it: matches keyed by the database product id its cards use. */
export function fromPhotoSearch(photoSearch: Pick<PhotoSearch, 'search'>): SearchByPhoto {
  return async (bytes) => {
    const { exact, similar } = await photoSearch.search(bytes);
    const toMatch = (m: (typeof exact)[number]): PhotoMatch => ({
      productId: m.id,
      title: m.title,
      priceKopecks: m.priceKopecks,
      imageUrl: m.imageUrl ?? undefined,
      similarity: m.similarity,
    });
    return { exact: exact.map(toMatch), similar: similar.map(toMatch) };
  };
}

/** Answered searches observed in the latency histogram under `channel="bot"`. */
export function timedPhotoSearch(search: SearchByPhoto, duration?: PhotoSearchHistogram): SearchByPhoto {
  if (!duration) return search;
  return async (bytes) => {
    const timer = duration.startTimer({ channel: 'bot' });
    const found = await search(bytes);
    timer();
    return found;
  };
}
