import { ActivityFailure, defineSignal, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CatalogSyncReport, createCatalogActivities } from '../activities/catalog';
import type { createPhotoActivities, PhotoCopyReport } from '../activities/photos';
import type { createSearchIndexActivities } from '../activities/search-index';

type CatalogSyncActivities = ReturnType<typeof createCatalogActivities> &
  ReturnType<typeof createPhotoActivities> &
  ReturnType<typeof createSearchIndexActivities>;

/** Long batched activities heartbeat every page or batch; a retry resumes from the last heartbeat. */
const batched = proxyActivities<CatalogSyncActivities>({
  startToCloseTimeout: '1h',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 12 },
});
const quick = proxyActivities<CatalogSyncActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 12 },
});

/** The product changed again: the running single-product sync makes one more pass instead of a new run starting. */
export const productChangedSignal = defineSignal('productChanged');

const noPhotos: PhotoCopyReport = { uploaded: 0, skipped: 0, broken: 0, failures: 0 };

/** Photos and the search index are not worth failing the whole run for: their failure is counted and logged. */
async function counted<T>(step: string, run: () => Promise<T>, fallback: T, report: { failures: number }): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    report.failures++;
    log.error(`catalog sync: ${step} failed`, { error: err.cause?.message ?? err.message });
    return fallback;
  }
}

/** The scheduled full sync (Schedule `product-sync`): listing, unlisted products disabled, photos, search index. */
export async function catalogSyncWorkflow(): Promise<CatalogSyncReport> {
  const startedAt = Date.now();
  const { workflowId, runId } = workflowInfo();
  const listed = await batched.syncListing({ syncId: runId });
  const { disabled } = await quick.disableUnlisted({ syncId: runId, seen: listed.seen });
  const report: CatalogSyncReport = {
    kind: 'full',
    created: listed.created,
    updated: listed.updated,
    disabled,
    photosUploaded: 0,
    photosSkipped: 0,
    photosBroken: 0,
    failures: listed.failures,
    durationMs: 0,
  };
  const photos = await counted('photo copy', () => batched.copyPhotos({}), noPhotos, report);
  await counted('search index removal', () => batched.removeFromIndex({}), { products: 0 }, report);
  await counted('search indexing', () => batched.indexPhotos({}), { products: 0, photos: 0 }, report);
  Object.assign(report, {
    photosUploaded: photos.uploaded,
    photosSkipped: listed.photosUnchanged + photos.skipped,
    photosBroken: photos.broken,
    failures: report.failures + photos.failures + photos.broken,
    durationMs: Date.now() - startedAt,
  });
  await quick.recordSyncReport({ report, workflowId, runId, startedAt: new Date(startedAt).toISOString() });
  log.info('catalog sync report', { ...report });
  return report;
}

/** One product on demand (`product-sync-<id>`), from the product-updated webhook; repeated webhooks coalesce. */
export async function productSyncWorkflow(externalId: number): Promise<CatalogSyncReport> {
  const startedAt = Date.now();
  const { workflowId, runId } = workflowInfo();
  let again = true;
  setHandler(productChangedSignal, () => void (again = true));
  const report: CatalogSyncReport = {
    kind: 'product',
    created: 0,
    updated: 0,
    disabled: 0,
    photosUploaded: 0,
    photosSkipped: 0,
    photosBroken: 0,
    failures: 0,
    durationMs: 0,
  };
  while (again) {
    again = false;
    const synced = await quick.syncProduct({ externalId });
    report.created += synced.created;
    report.updated += synced.updated;
    report.disabled += synced.disabled;
    report.failures += synced.failures;
    if (synced.productId === null) continue;
    const productIds = [synced.productId];
    const photos = await counted('photo copy', () => batched.copyPhotos({ productIds }), noPhotos, report);
    report.photosUploaded += photos.uploaded;
    report.photosSkipped += photos.skipped;
    report.photosBroken += photos.broken;
    report.failures += photos.failures + photos.broken;
    await counted('search index removal', () => batched.removeFromIndex({ productIds }), { products: 0 }, report);
    await counted('search indexing', () => batched.indexPhotos({ productIds }), { products: 0, photos: 0 }, report);
  }
  report.durationMs = Date.now() - startedAt;
  await quick.recordSyncReport({ report, workflowId, runId, startedAt: new Date(startedAt).toISOString() });
  return report;
}
