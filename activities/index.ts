import type { Api } from 'grammy';
import type { PrismaClient } from '../db/client';
import { createCrmActivities } from './crm';
import { createKaspiActivities } from './kaspi';
import { createLegacyActivities } from './legacy';
import { createNotificationActivities } from './notifications';
import { createOrderRecordActivities } from './order-records';
import { createPricingActivities } from './pricing';
import { createStatusMessageActivities } from './status-messages';
import type { ProductionApi } from './production-api';
import { createCatalogActivities } from './catalog';
import type { PhotoStorage } from './photo-storage';
import { createPhotoActivities, type CatalogHooks } from './photos';
import { createSearchIndexActivities } from './search-index';
import { createReconcileActivities } from './reconcile';
import type { Client } from '@temporalio/client';
import type { BusinessMetrics } from '../common/metrics';
import type { PhotoIndex } from '../search/photo-index-port';

export interface ActivityDeps {
  prisma: PrismaClient;
  production: ProductionApi;
  /** Reconciliation asks Temporal which workflows still run. */
  temporal?: Client;
  /** Business counters (common/metrics.ts), exported by the worker. */
  metrics?: BusinessMetrics;
  telegram: Api;
  deliveryFeeKopecks: number;
  maxOrderTotalKopecks?: number;
  shopTimeZone: string;
  /** Catalog sync: S3-compatible photo storage (the photo copy fails without it), the photo search's port, test seams. */
  photoStorage?: PhotoStorage;
  photoIndex?: PhotoIndex;
  photoConcurrency?: number;
  catalogHooks?: CatalogHooks;
}

/** Every activity of the order workflow, built from injected clients. */
export function createOrderActivities(deps: ActivityDeps) {
  const kaspi = createKaspiActivities(deps);
  const records = createOrderRecordActivities(deps);
  const notifications = createNotificationActivities(deps);
  return {
    ...createPricingActivities(deps),
    ...records,
    ...createCrmActivities(deps),
    ...kaspi,
    ...createLegacyActivities(kaspi),
    ...notifications,
    ...createStatusMessageActivities({ ...notifications, ...records }),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

/** Every activity the worker runs: orders, catalog sync, photos and the search index. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
    ...createReconcileActivities(deps),
    ...createCatalogActivities(deps),
    ...createPhotoActivities(deps),
    ...createSearchIndexActivities(deps),
  };
}
