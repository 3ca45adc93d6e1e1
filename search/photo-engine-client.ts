import got, { HTTPError } from 'got';
import { z } from 'zod';
import { InvalidPhotoError, type PhotoSearch, type PhotoSearchResult } from './photo-search-port';

const refusal = z.object({
  code: z.enum(['photo_missing', 'photo_type', 'photo_too_large', 'photo_corrupt']),
  message: z.string(),
});

/**
 * The photo engine of the API process, seen from the worker and the polling bot (search/photo-engine-server.ts):
 * the same port as the in-process engine, so they never load the models. While the API is down a call fails
 * with a connection error: the catalog sync's activity is retried by Temporal, a bot search answers an error.
 */
export function createPhotoEngineClient(options: { url: string; token?: string; timeoutMs?: number }): PhotoSearch {
  const client = got.extend({
    prefixUrl: options.url.replace(/\/$/, ''),
    // Long enough for the first call after the API starts, which waits for the models to load.
    timeout: { request: options.timeoutMs ?? 60_000 },
    retry: { limit: 1, methods: ['GET', 'DELETE'] },
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
  });
  const photo = (bytes: Buffer) => ({ body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  /** A photo the engine refused comes back as the same InvalidPhotoError the in-process engine throws. */
  const refused = (err: unknown): never => {
    if (err instanceof HTTPError && err.response.statusCode === 422) {
      const body = refusal.safeParse(jsonOrNull(String(err.response.body)));
      if (body.success) throw new InvalidPhotoError(body.data.code, body.data.message);
    }
    throw err;
  };

  return {
    async index(productId, photoKey, bytes) {
      await client.post('index', { searchParams: { productId, photoKey }, ...photo(bytes) }).catch(refused);
    },
    async remove(productId) {
      await client.delete(`index/${productId}`);
    },
    outdated: () => client.get('outdated').json<number[]>(),
    search: (bytes) => client.post('search', photo(bytes)).json<PhotoSearchResult>().catch(refused),
    close: async () => undefined,
  };
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
