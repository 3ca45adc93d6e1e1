import { Context } from '@temporalio/activity';
import { Prisma, type PrismaClient } from '../db/client';
import { productImageUrls, toProductRow } from './catalog-mapping';
import type { CatalogHooks } from './photos';
import type { ProductionApi, ProductionProduct } from './production-api';

/**
 * The catalog read model, filled from the production API page by page: one activity pages through the whole
 * listing (heartbeating its position, so a retry resumes there), writes are batched per page, and products
 * the listing no longer shows become unavailable, never deleted (orders refer to them).
 */
export interface CatalogDeps {
  prisma: PrismaClient;
  production: ProductionApi;
  catalogHooks?: CatalogHooks;
}

export interface ListingReport {
  seen: number;
  created: number;
  updated: number;
  /** Listed photos already stored (or known broken) under the same URL: not fetched again. */
  photosUnchanged: number;
  failures: number;
  pages: number;
}

export interface CatalogSyncReport {
  kind: 'full' | 'product';
  created: number;
  updated: number;
  disabled: number;
  photosUploaded: number;
  photosSkipped: number;
  photosBroken: number;
  failures: number;
  durationMs: number;
}

export const PRODUCT_TYPES = ['catalog', 'vitrina'] as const;
export const PAGE_SIZE = 100;
/** 100 000 products: far beyond the shop's catalog, so a listing that never ends is cut off. */
const MAX_PAGES_PER_TYPE = 1_000;

type Listing = ListingReport & { typeIndex: number; offset: number; lastPage?: string };
const emptyListing = (): Listing => ({
  typeIndex: 0,
  offset: 0,
  seen: 0,
  created: 0,
  updated: 0,
  photosUnchanged: 0,
  failures: 0,
  pages: 0,
});

/** Whether to ask for the next page. `hasMore` is not trusted alone: an empty, short or repeated page ends the type. */
export function shouldFetchNext(page: {
  items: number;
  hasMore: boolean | undefined;
  limit: number | undefined;
  repeated: boolean;
  pages: number;
}): boolean {
  if (page.items === 0 || page.repeated || page.pages >= MAX_PAGES_PER_TYPE) return false;
  if (page.items < Math.min(PAGE_SIZE, page.limit || PAGE_SIZE)) return false;
  return page.hasMore === true;
}

export function createCatalogActivities({ prisma, production, catalogHooks }: CatalogDeps) {
  return {
    /** Pages through `GET /products/` for both types; `syncId` marks every listed product as seen by this run. */
    async syncListing({ syncId }: { syncId: string }): Promise<ListingReport> {
      const ctx = Context.current();
      const state: Listing = { ...emptyListing(), ...(ctx.info.heartbeatDetails as Listing | undefined) };
      for (; state.typeIndex < PRODUCT_TYPES.length; state.typeIndex++, state.offset = 0, state.lastPage = undefined) {
        const type = PRODUCT_TYPES[state.typeIndex];
        for (let more = true, pages = 0; more;) {
          const page = await production.listProducts({ type, limit: PAGE_SIZE, offset: state.offset });
          const items = Array.isArray(page.data) ? page.data : [];
          const signature = items.length ? `${items[0].id}..${items[items.length - 1].id}:${items.length}` : '';
          const repeated = items.length > 0 && signature === state.lastPage;
          if (!repeated) add(state, await upsertProducts(prisma, items, syncId));
          pages++;
          more = shouldFetchNext({
            items: items.length,
            hasMore: page.pagination?.hasMore,
            limit: page.pagination?.limit,
            repeated,
            pages,
          });
          if (repeated)
            ctx.log.warn('the production API served the same page again: paging stopped', {
              type,
              offset: state.offset,
            });
          state.offset += items.length;
          state.lastPage = signature;
          state.pages++;
          ctx.heartbeat(state);
          await catalogHooks?.afterListingPage?.(state.pages, ctx.info.attempt);
        }
      }
      const { typeIndex: _t, offset: _o, lastPage: _l, ...report } = state;
      return report;
    },

    /** Products not listed by run `syncId` become unavailable. An empty listing disables nothing: that is an outage, not a closed shop. */
    async disableUnlisted({ syncId, seen }: { syncId: string; seen: number }): Promise<{ disabled: number }> {
      const where = { available: true, OR: [{ lastSeenSync: null }, { lastSeenSync: { not: syncId } }] };
      if (seen === 0) {
        const wouldDisable = await prisma.product.count({ where });
        if (wouldDisable > 0) Context.current().log.warn('empty listing: nothing disabled', { wouldDisable });
        return { disabled: 0 };
      }
      const { count } = await prisma.product.updateMany({ where, data: { available: false } });
      return { disabled: count };
    },

    /** One product from `/products/detail/`; gone from production means unavailable here. */
    async syncProduct({
      externalId,
    }: {
      externalId: number;
    }): Promise<{ productId: number | null; created: number; updated: number; disabled: number; failures: number }> {
      const product = await production.productDetail(externalId);
      if (!product) {
        const { count } = await prisma.product.updateMany({
          where: { externalId, available: true },
          data: { available: false },
        });
        const row = await prisma.product.findUnique({ where: { externalId }, select: { id: true } });
        return { productId: row?.id ?? null, created: 0, updated: 0, disabled: count, failures: 0 };
      }
      const counts = await upsertProducts(prisma, [product]);
      const row = await prisma.product.findUnique({ where: { externalId }, select: { id: true } });
      return {
        productId: row?.id ?? null,
        created: counts.created,
        updated: counts.updated,
        disabled: 0,
        failures: counts.failures,
      };
    },

    /** The run's report: logged and kept for /metrics. Idempotent by run id. */
    async recordSyncReport({
      report,
      workflowId,
      runId,
      startedAt,
    }: {
      report: CatalogSyncReport;
      workflowId: string;
      runId: string;
      startedAt: string;
    }): Promise<void> {
      Context.current().log.info('catalog sync finished', { ...report, workflowId });
      const { kind, ...counts } = report;
      await prisma.catalogSyncRun.upsert({
        where: { runId },
        create: { workflowId, runId, kind, startedAt: new Date(startedAt), ...counts },
        update: {},
      });
    },
  };
}

function add(into: ListingReport, counts: Omit<ListingReport, 'pages'>): void {
  into.seen += counts.seen;
  into.created += counts.created;
  into.updated += counts.updated;
  into.photosUnchanged += counts.photosUnchanged;
  into.failures += counts.failures;
}

const COMPARED = [
  'title',
  'priceKopecks',
  'available',
  'type',
  'composition',
  'height',
  'width',
  'discountPct',
  'productionTime',
  'sourceCreated',
] as const;
type Row = ReturnType<typeof toProductRow>;

/** Upserts one page: one read, then one transaction for products and one for photo rows (only when something changed). */
export async function upsertProducts(
  prisma: PrismaClient,
  items: ProductionProduct[],
  syncId?: string,
): Promise<Omit<ListingReport, 'pages'>> {
  const counts = { seen: 0, created: 0, updated: 0, photosUnchanged: 0, failures: 0 };
  const incoming = new Map<number, { row: Row; urls: string[] }>();
  for (const item of items) {
    try {
      incoming.set(item.id, { row: toProductRow(item), urls: productImageUrls(item) });
    } catch (err) {
      counts.failures++; // one malformed product (say, an unparseable price) must not stop the catalog
      Context.current().log.warn('product skipped', { id: item?.id, error: (err as Error).message });
    }
  }
  counts.seen = incoming.size;
  if (!incoming.size) return counts;
  const ids = [...incoming.keys()];
  const existing = await prisma.product.findMany({
    where: { externalId: { in: ids } },
    include: { photos: { select: { id: true, position: true, sourceUrl: true, storageKey: true, error: true } } },
  });
  const byExternalId = new Map(existing.map((p) => [p.externalId, p]));
  const seen = { lastSeenSync: syncId, lastSyncedAt: new Date() };
  const creates: Row[] = [];
  const updates: Row[] = [];
  for (const [externalId, { row, urls }] of incoming) {
    const old = byExternalId.get(externalId);
    if (!old) creates.push(row);
    else if (COMPARED.some((field) => old[field] !== row[field]) || !samePhotos(old.photos, urls)) updates.push(row);
  }
  await insertProducts(
    prisma,
    creates.map((row) => ({ row, urls: incoming.get(row.externalId)!.urls })),
    syncId,
  );
  await prisma.$transaction([
    ...updates.map((row) =>
      prisma.product.update({ where: { externalId: row.externalId }, data: { ...row, ...seen } }),
    ),
    prisma.product.updateMany({ where: { externalId: { in: ids.filter((id) => byExternalId.has(id)) } }, data: seen }),
  ]);
  counts.created = creates.length;
  counts.updated = updates.length;

  const productIdOf = new Map(existing.map((p) => [p.externalId, p.id]));
  const photoWrites = [];
  const newPhotos: { productId: number; position: number; sourceUrl: string }[] = [];
  for (const [externalId, { urls }] of incoming) {
    const productId = productIdOf.get(externalId); // new products got their photo rows with them
    if (productId === undefined) continue;
    const oldPhotos = byExternalId.get(externalId)?.photos ?? [];
    urls.forEach((sourceUrl, i) => {
      const old = oldPhotos.find((p) => p.position === i + 1);
      if (!old) newPhotos.push({ productId, position: i + 1, sourceUrl });
      else if (old.sourceUrl !== sourceUrl) {
        const fresh = {
          sourceUrl,
          contentHash: null,
          storageKey: null,
          publicUrl: null,
          error: null,
          indexedAt: null,
          sourceEtag: null,
          sourceLastModified: null,
        };
        photoWrites.push(prisma.productPhoto.update({ where: { id: old.id }, data: fresh }));
      } else if (old.storageKey || old.error) counts.photosUnchanged++;
    });
    if (oldPhotos.some((p) => p.position > urls.length)) {
      photoWrites.push(prisma.productPhoto.deleteMany({ where: { productId, position: { gt: urls.length } } }));
    }
  }
  if (newPhotos.length) photoWrites.push(prisma.productPhoto.createMany({ data: newPhotos, skipDuplicates: true }));
  if (photoWrites.length) await prisma.$transaction(photoWrites);
  return counts;
}

/**
 * New products and their photo rows in one statement: the cold sync's hot path, where the ORM's per-row work
 * cost more than the database. A product created meanwhile (by an order's pricing or a single-product sync) keeps
 * its content, is marked seen by this run, and gets the photo rows it lacks.
 */
async function insertProducts(
  prisma: PrismaClient,
  rows: { row: Row; urls: string[] }[],
  syncId?: string,
): Promise<void> {
  if (!rows.length) return;
  const products = rows.map(
    ({ row: r }) =>
      Prisma.sql`(${r.externalId}::int, ${r.title}::text, ${r.priceKopecks}::int, ${r.available}::boolean, ${r.type}::text, ${r.composition}::text,
        ${r.height}::text, ${r.width}::text, ${r.discountPct}::int, ${r.productionTime}::text, ${r.sourceCreated}::text)`,
  );
  const photos = rows.flatMap(({ row, urls }) =>
    urls.map((url, i) => Prisma.sql`(${row.externalId}::int, ${i + 1}::int, ${url}::text)`),
  );
  const insertPhotos = photos.length
    ? Prisma.sql`INSERT INTO "ProductPhoto" ("productId", "position", "sourceUrl", "updatedAt")
        SELECT created.id, v.position, v.url, now() FROM created JOIN (VALUES ${Prisma.join(photos)}) AS v("externalId", position, url)
        ON v."externalId" = created."externalId"
        ON CONFLICT ("productId", "position") DO NOTHING`
    : Prisma.sql`SELECT 1`;
  await prisma.$executeRaw`
    WITH created AS (
      INSERT INTO "Product" ("externalId", "title", "priceKopecks", "available", "type", "composition", "height", "width",
        "discountPct", "productionTime", "sourceCreated", "lastSeenSync", "lastSyncedAt", "updatedAt")
      SELECT v.*, ${syncId ?? null}::text, now(), now() FROM (VALUES ${Prisma.join(products)}) AS v
      -- Created meanwhile (an order's pricing, a single-product sync): its content stays, but this run saw it,
      -- or the run's last step would take a listed bouquet off sale.
      ON CONFLICT ("externalId") DO UPDATE SET "lastSeenSync" = COALESCE(EXCLUDED."lastSeenSync", "Product"."lastSeenSync")
      RETURNING id, "externalId"
    )
    ${insertPhotos}`;
}

const samePhotos = (photos: { position: number; sourceUrl: string }[], urls: string[]): boolean =>
  photos.length === urls.length && photos.every((p) => urls[p.position - 1] === p.sourceUrl);
