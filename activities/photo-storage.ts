import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import got from 'got';

/** S3-compatible photo storage (Cloudflare R2 in production) and fetching of the shop site's photos. */
export interface PhotoStorageConfig {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  publicBaseUrl: string;
}

export type PhotoStorage = ReturnType<typeof createPhotoStorage>;

export function createPhotoStorage(config: PhotoStorageConfig) {
  const s3 = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    forcePathStyle: true,
    // R2 and s3rver do not speak the SDK's default CRC32 trailers; MD5/SigV4 are enough for whole buffers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    },
  });
  const base = config.publicBaseUrl.replace(/\/+$/, '');
  return {
    publicUrl: (key: string): string => `${base}/${key}`,
    put: async (key: string, bytes: Buffer, contentType: string): Promise<void> => {
      await s3.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          CacheControl: 'public, max-age=31536000, immutable',
        }),
      );
    },
    exists: async (key: string): Promise<boolean> => {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
        return true;
      } catch (err) {
        if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404) return false;
        throw err;
      }
    },
    get: async (key: string): Promise<Buffer> => {
      const out = await s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    destroy: () => s3.destroy(),
  };
}

export const photoStorageFromConfig = (config: {
  S3_ENDPOINT: string;
  S3_REGION: string;
  S3_BUCKET: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  S3_PUBLIC_BASE_URL: string;
}): PhotoStorage =>
  createPhotoStorage({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    publicBaseUrl: config.S3_PUBLIC_BASE_URL,
  });

export type FetchedPhoto =
  | { kind: 'ok'; bytes: Buffer; contentType: string; etag: string | null; lastModified: string | null }
  | { kind: 'not-modified' }
  /** The URL will not give a photo however often we ask: recorded on the row and skipped. */
  | { kind: 'broken'; reason: string };

const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
const sourceHttp = got.extend({
  agent: {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  },
  retry: { limit: 0 },
  timeout: { request: 20_000 },
  throwHttpErrors: false,
  responseType: 'buffer',
});

/** GETs a source photo, conditionally when validators are known; 5xx and network errors throw (worth a retry). */
export async function fetchPhoto(
  url: string,
  validators: { etag?: string | null; lastModified?: string | null } = {},
): Promise<FetchedPhoto> {
  let response;
  try {
    const headers: Record<string, string> = {};
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    response = await sourceHttp.get(url, { headers, responseType: 'buffer' });
  } catch (err) {
    if (err instanceof got.RequestError && (err.code === 'ERR_INVALID_URL' || err.code === 'ENOTFOUND'))
      return { kind: 'broken', reason: err.code };
    throw err;
  }
  const status = response.statusCode;
  if (status === 304) return { kind: 'not-modified' };
  if (status >= 500 || status === 429) throw new Error(`photo ${url} answered ${status}`);
  if (status !== 200) return { kind: 'broken', reason: `HTTP ${status}` };
  const contentType = String(response.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (!PHOTO_TYPES[contentType]) return { kind: 'broken', reason: `not a photo (${contentType || 'no content-type'})` };
  if (response.body.length === 0 || response.body.length > MAX_PHOTO_BYTES)
    return { kind: 'broken', reason: `size ${response.body.length}` };
  const header = (name: string) => (response.headers[name] as string | undefined) ?? null;
  return { kind: 'ok', bytes: response.body, contentType, etag: header('etag'), lastModified: header('last-modified') };
}

const PHOTO_TYPES: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
};

/** Key from the content hash: the same bytes always land on the same key, so they are stored once. */
export function photoKey(bytes: Buffer, contentType: string): { hash: string; key: string } {
  const hash = createHash('sha256').update(bytes).digest('hex');
  return { hash, key: `products/${hash.slice(0, 2)}/${hash}.${PHOTO_TYPES[contentType] ?? 'bin'}` };
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
