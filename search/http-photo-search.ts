import got from 'got';
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { checkPhoto } from './photo-input';
import { DEFAULT_BANDS, type PhotoBands, type PhotoSearch } from './photo-search-port';
import { productMatches } from './product-matches';

const hit = z.object({ productId: z.number().int(), photoKey: z.string().optional(), similarity: z.number() });
const searchAnswer = z.object({ exact: z.array(hit), similar: z.array(hit) });

/**
 * Client of an external visual search service (shape in standins/visual-search.ts): it holds the vectors;
 * we keep validation, grouping by product, availability and the bands.
 */
export function createHttpPhotoSearch(
  prisma: PrismaClient,
  options: { url: string; bands?: PhotoBands; topK?: number; timeoutMs?: number; retries?: number },
): PhotoSearch {
  const bands = options.bands ?? DEFAULT_BANDS;
  const client = got.extend({
    prefixUrl: options.url.replace(/\/$/, ''),
    timeout: { request: options.timeoutMs ?? 10_000 },
    retry: { limit: options.retries ?? 2, methods: ['POST', 'DELETE'] },
  });
  return {
    async index(productId, photoKey, bytes) {
      const type = await checkPhoto(bytes);
      await client.post('index', {
        searchParams: { productId, photoKey },
        body: bytes,
        headers: { 'content-type': type },
      });
    },
    async remove(productId) {
      await client.delete(`index/${productId}`);
    },
    async search(bytes) {
      const started = performance.now();
      const type = await checkPhoto(bytes);
      const answer = searchAnswer.parse(
        await client
          .post('search', {
            searchParams: { topK: options.topK ?? 20 },
            body: bytes,
            headers: { 'content-type': type },
          })
          .json(),
      );
      const result = await productMatches(prisma, [...answer.exact, ...answer.similar], bands);
      return { ...result, tookMs: Math.round(performance.now() - started) };
    },
    close: async () => undefined,
  };
}
