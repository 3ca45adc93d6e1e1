import type { Config } from '../common/config';
import type { PrismaClient } from '../db/client';
import { createHttpPhotoSearch } from './http-photo-search';
import { createLocalPhotoSearch } from './local/local-photo-search';
import { createPhotoEngineClient } from './photo-engine-client';
import { startPhotoEngineServer } from './photo-engine-server';
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
 * The API process owns it (the models load here) and serves it to the others with `servePhotoSearch`.
 * The caller must `close()` it.
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

export type PhotoEngineConfig = Pick<
  Config,
  'PHOTO_SEARCH' | 'PHOTO_ENGINE_HOST' | 'PHOTO_ENGINE_PORT' | 'PHOTO_ENGINE_URL' | 'PHOTO_ENGINE_TOKEN'
>;

/**
 * For the worker (indexing) and the polling bot (search): the external service, or the API process's local
 * engine over HTTP, so these processes never load the models themselves.
 */
export function connectPhotoSearch(config: PhotoSearchConfig & PhotoEngineConfig, prisma: PrismaClient): PhotoSearch {
  if (config.PHOTO_SEARCH === 'http') return createPhotoSearch(config, prisma);
  return createPhotoEngineClient({
    url: config.PHOTO_ENGINE_URL ?? `http://127.0.0.1:${config.PHOTO_ENGINE_PORT}`,
    token: config.PHOTO_ENGINE_TOKEN,
  });
}

/** For the API process: its local engine served to the worker and the bot (nothing to serve for `http`). */
export async function servePhotoSearch(
  config: PhotoEngineConfig,
  engine: PhotoSearch,
): Promise<{ close(): Promise<void> } | undefined> {
  if (config.PHOTO_SEARCH !== 'local') return undefined;
  return startPhotoEngineServer(engine, {
    host: config.PHOTO_ENGINE_HOST,
    port: config.PHOTO_ENGINE_PORT,
    token: config.PHOTO_ENGINE_TOKEN,
  });
}

export { InvalidPhotoError, type PhotoMatch, type PhotoSearch, type PhotoSearchResult } from './photo-search-port';
export { createTextSearch, type TextSearch } from './text-search';
