import { Context } from '@temporalio/activity';
import { Prisma, type PrismaClient } from '../db/client';
import { fetchPhoto, mapLimit, photoKey, type PhotoStorage } from './photo-storage';

/** Test seams of the catalog sync: a throw here is a worker dying at that point. */
export interface CatalogHooks {
  afterListingPage?(page: number, attempt: number): void | Promise<void>;
  /** After a batch's photos are in S3, before the database knows: the worst moment to crash. */
  afterPhotoUploads?(batch: number, attempt: number): void | Promise<void>;
}

export interface PhotoDeps {
  prisma: PrismaClient;
  photoStorage?: PhotoStorage;
  photoConcurrency?: number;
  catalogHooks?: CatalogHooks;
}

export interface PhotoCopyInput {
  /** Only these products' photos (database ids), every one re-checked; default: every photo not stored yet. */
  productIds?: number[];
}

export interface PhotoCopyReport {
  uploaded: number;
  skipped: number;
  broken: number;
  failures: number;
}

type Progress = PhotoCopyReport & { cursor: number };
type Outcome =
  | {
      kind: 'stored';
      id: number;
      sourceUrl: string;
      hash: string;
      key: string;
      etag: string | null;
      lastModified: string | null;
      uploaded: boolean;
    }
  | { kind: 'broken'; id: number; reason: string }
  | { kind: 'skipped' }
  | { kind: 'failed' };

const BATCH_SIZE = 200;
const photoColumns = {
  id: true,
  sourceUrl: true,
  contentHash: true,
  storageKey: true,
  sourceEtag: true,
  sourceLastModified: true,
} as const;

/** Copies product photos to S3 under content-hash keys: each distinct photo is PUT once, ever. */
export function createPhotoActivities({ prisma, photoStorage, photoConcurrency = 16, catalogHooks }: PhotoDeps) {
  return {
    async copyPhotos(input: PhotoCopyInput = {}): Promise<PhotoCopyReport> {
      if (!photoStorage) throw new Error('photo storage is not configured (S3_*)');
      const storage = photoStorage;
      const ctx = Context.current();
      const attempt = ctx.info.attempt;
      const progress: Progress = {
        cursor: 0,
        uploaded: 0,
        skipped: 0,
        broken: 0,
        failures: 0,
        ...(ctx.info.heartbeatDetails as Progress | undefined),
      };
      const known = new Set(
        (
          await prisma.productPhoto.findMany({
            where: { storageKey: { not: null } },
            distinct: ['storageKey'],
            select: { storageKey: true },
          })
        ).map((p) => p.storageKey),
      );
      const inflight = new Map<string, Promise<boolean>>();

      /**
       * True when this run uploaded the object. A retried attempt first asks S3: the attempt that died may have PUT it
       * without recording it, and then it counts as uploaded by this run without a second PUT.
       */
      async function ensureStored(key: string, bytes: Buffer, contentType: string): Promise<boolean> {
        if (known.has(key)) return false;
        const pending = inflight.get(key);
        if (pending) return pending.then(() => false);
        const put = (async () => {
          if (attempt > 1 && (await storage.exists(key))) return true;
          await storage.put(key, bytes, contentType);
          return true;
        })();
        inflight.set(key, put);
        try {
          const uploaded = await put;
          known.add(key);
          return uploaded;
        } finally {
          inflight.delete(key);
        }
      }

      async function copyOne(photo: Prisma.ProductPhotoGetPayload<{ select: typeof photoColumns }>): Promise<Outcome> {
        const recheck =
          input.productIds && photo.storageKey
            ? { etag: photo.sourceEtag, lastModified: photo.sourceLastModified }
            : {};
        try {
          const fetched = await fetchPhoto(photo.sourceUrl, recheck);
          if (fetched.kind === 'not-modified') return { kind: 'skipped' };
          if (fetched.kind === 'broken') return { kind: 'broken', id: photo.id, reason: fetched.reason };
          const { hash, key } = photoKey(fetched.bytes, fetched.contentType);
          const uploaded =
            photo.storageKey === key ? false : await ensureStored(key, fetched.bytes, fetched.contentType);
          return {
            kind: 'stored',
            id: photo.id,
            sourceUrl: photo.sourceUrl,
            hash,
            key,
            etag: fetched.etag,
            lastModified: fetched.lastModified,
            uploaded,
          };
        } catch (err) {
          ctx.log.warn('photo copy failed, next sync retries it', {
            url: photo.sourceUrl,
            error: (err as Error).message,
          });
          return { kind: 'failed' };
        }
      }

      const where: Prisma.ProductPhotoWhereInput = input.productIds
        ? { productId: { in: input.productIds } }
        : { storageKey: null, error: null };
      for (let batchNo = 1; ; batchNo++) {
        const batch = await prisma.productPhoto.findMany({
          where: { ...where, id: { gt: progress.cursor } },
          orderBy: { id: 'asc' },
          take: BATCH_SIZE,
          select: photoColumns,
        });
        if (!batch.length) break;
        const outcomes = await mapLimit(batch, photoConcurrency, copyOne);
        await catalogHooks?.afterPhotoUploads?.(batchNo, attempt);
        await recordOutcomes(prisma, storage, outcomes);
        for (const o of outcomes) {
          if (o.kind === 'stored' && o.uploaded) progress.uploaded++;
          else if (o.kind === 'stored' || o.kind === 'skipped') progress.skipped++;
          else if (o.kind === 'broken') progress.broken++;
          else progress.failures++;
        }
        progress.cursor = batch[batch.length - 1].id;
        ctx.heartbeat(progress);
      }
      const { cursor: _cursor, ...report } = progress;
      return report;
    },
  };
}

/** One statement per batch; a row whose source URL changed meanwhile keeps waiting for its new photo. */
async function recordOutcomes(prisma: PrismaClient, storage: PhotoStorage, outcomes: Outcome[]): Promise<void> {
  const stored = outcomes.filter((o) => o.kind === 'stored');
  if (stored.length) {
    const rows = stored.map(
      (o) =>
        Prisma.sql`(${o.id}::int, ${o.sourceUrl}::text, ${o.hash}::text, ${o.key}::text, ${storage.publicUrl(o.key)}::text, ${o.etag}::text, ${o.lastModified}::text)`,
    );
    await prisma.$executeRaw`
      UPDATE "ProductPhoto" AS p SET "contentHash" = v.hash, "storageKey" = v.key, "publicUrl" = v.url, "sourceEtag" = v.etag,
        "sourceLastModified" = v.lm, "error" = NULL, "updatedAt" = now(),
        "indexedAt" = CASE WHEN p."contentHash" IS DISTINCT FROM v.hash THEN NULL ELSE p."indexedAt" END
      FROM (VALUES ${Prisma.join(rows)}) AS v(id, src, hash, key, url, etag, lm)
      WHERE p.id = v.id AND p."sourceUrl" = v.src`;
  }
  const broken = outcomes.filter((o) => o.kind === 'broken');
  if (broken.length) {
    await prisma.$transaction(
      broken.map((o) => prisma.productPhoto.update({ where: { id: o.id }, data: { error: o.reason } })),
    );
  }
}
