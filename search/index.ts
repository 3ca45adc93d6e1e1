import type { Config } from '../common/config';
import type { PrismaClient } from '../db/client';
import { createHttpPhotoSearch } from './http-photo-search';
import { createLocalPhotoSearch } from './local/local-photo-search';
import { DEFAULT_BANDS, type PhotoBands, type PhotoSearch } from './photo-search-port';

export type PhotoSearchConfig = Pick<
  Config,
  | 'PHOTO_SEARCH'
  | 'PHOTO_SEARCH_URL'
  | 'PHOTO_EXACT_THRESHOLD'
  | 'PHOTO_SIMILAR_THRESHOLD'
  | 'PHOTO_SEARCH_WORKERS'
  | 'PHOTO_INDEX_REFRESH'
>;

/**
 * The photo search chosen by configuration: the local engine (default) or the external service's client.
 * Used by the API (search), the worker (indexing through the PhotoIndex port) and the bot (search).
 * The caller owns it and must `close()` it.
 */
export function createPhotoSearch(config: PhotoSearchConfig, prisma: PrismaClient): PhotoSearch {
  const bands: PhotoBands = {
    ...DEFAULT_BANDS,
    exactThreshold: config.PHOTO_EXACT_THRESHOLD,
    similarThreshold: config.PHOTO_SIMILAR_THRESHOLD,
  };
  if (config.PHOTO_SEARCH === 'http') {
    if (!config.PHOTO_SEARCH_URL) throw new Error('PHOTO_SEARCH=http needs PHOTO_SEARCH_URL');
    return createHttpPhotoSearch(prisma, { url: config.PHOTO_SEARCH_URL, bands });
  }
  return createLocalPhotoSearch(prisma, {
    bands,
    workers: config.PHOTO_SEARCH_WORKERS,
    refreshMs: config.PHOTO_INDEX_REFRESH,
  });
}

export { InvalidPhotoError, type PhotoMatch, type PhotoSearch, type PhotoSearchResult } from './photo-search-port';
export { createTextSearch, type TextSearch } from './text-search';
