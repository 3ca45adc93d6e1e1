import type { PhotoIndex } from './photo-index-port';

/** One product found by a photo; `productId` is the production id (what orders take), `id` our database id. */
export interface PhotoMatch {
  productId: number;
  id: number;
  title: string;
  priceKopecks: number;
  imageUrl: string | null;
  similarity: number;
}

/** `exact`: the same bouquet (similarity ≥ the exact threshold); `similar`: alike, between the two thresholds. */
export interface PhotoSearchResult {
  exact: PhotoMatch[];
  similar: PhotoMatch[];
  tookMs: number;
}

/** Photo search behind one port: the local engine or an external service; the catalog sync feeds `index`. */
export interface PhotoSearch extends PhotoIndex {
  search(bytes: Buffer): Promise<PhotoSearchResult>;
  close(): Promise<void>;
}

export interface PhotoBands {
  exactThreshold: number;
  similarThreshold: number;
  maxExact: number;
  maxSimilar: number;
}

export const DEFAULT_BANDS: PhotoBands = { exactThreshold: 0.85, similarThreshold: 0.7, maxExact: 5, maxSimilar: 10 };

/** A photo we refuse to look at, with the reason (the API answers 4xx with it). */
export class InvalidPhotoError extends Error {
  constructor(
    readonly code: 'photo_missing' | 'photo_type' | 'photo_too_large' | 'photo_corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidPhotoError';
  }
}
