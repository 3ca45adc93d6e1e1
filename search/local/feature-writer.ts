import { Prisma, type PrismaClient } from '../../db/client';

export interface FeatureRow {
  productId: number;
  photoKey: string;
  recipe: string;
  vector: Uint8Array<ArrayBuffer>;
  descriptors: Uint8Array<ArrayBuffer>;
  points: Uint8Array<ArrayBuffer>;
}

type Waiting = { row: FeatureRow; resolve(): void; reject(err: unknown): void };

/** Rows per INSERT: a few hundred kilobytes of features at most. */
const MAX_BATCH = 64;

/**
 * Upserts "PhotoFeature" rows in batches: rows that arrive while a write is in flight go together in the next
 * one, so parallel indexing pays one statement per batch instead of one per photo. Each call resolves once its
 * row is written; a batch that fails is retried row by row, so one bad row (a product deleted meanwhile) fails
 * only its own call.
 */
export function createFeatureWriter(prisma: PrismaClient): (row: FeatureRow) => Promise<void> {
  let queued: Waiting[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (queued.length) {
      const batch = queued.slice(0, MAX_BATCH);
      queued = queued.slice(MAX_BATCH);
      try {
        await upsert(
          prisma,
          batch.map((w) => w.row),
        );
        batch.forEach((w) => w.resolve());
      } catch {
        for (const w of batch)
          await upsert(prisma, [w.row]).then(
            () => w.resolve(),
            (err: unknown) => w.reject(err),
          );
      }
    }
    writing = false;
  }

  return (row) =>
    new Promise<void>((resolve, reject) => {
      queued.push({ row, resolve, reject });
      if (!writing) void drain();
    });
}

async function upsert(prisma: PrismaClient, rows: FeatureRow[]): Promise<void> {
  // One statement cannot update a row twice: the last row for a photo wins, as sequential upserts would.
  const latest = [...new Map(rows.map((r) => [`${r.productId}\u0000${r.photoKey}`, r])).values()];
  // The time as Prisma's @updatedAt writes it (UTC, client clock): the index refresh compares these.
  const now = new Date().toISOString();
  await prisma.$executeRaw`
    INSERT INTO "PhotoFeature" ("productId", "photoKey", recipe, vector, descriptors, points, "updatedAt")
    VALUES ${Prisma.join(
      latest.map(
        (r) =>
          Prisma.sql`(${r.productId}, ${r.photoKey}, ${r.recipe}, ${r.vector}, ${r.descriptors}, ${r.points},
            ${now}::timestamptz AT TIME ZONE 'UTC')`,
      ),
    )}
    ON CONFLICT ("productId", "photoKey") DO UPDATE SET recipe = EXCLUDED.recipe, vector = EXCLUDED.vector,
      descriptors = EXCLUDED.descriptors, points = EXCLUDED.points, "updatedAt" = EXCLUDED."updatedAt"`;
}
