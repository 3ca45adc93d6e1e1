import { Registry, collectDefaultMetrics } from 'prom-client';
import { photoSearchHistogram, webhookCounter } from '../common/metrics';
import type { PrismaClient } from '../db/client';
import { registerCatalogSyncMetrics } from './catalog-metrics';
import { registerOrderMetrics } from './order-metrics';

/** The API process's `/metrics`: process metrics, database-read gauges, and what its requests count. */
export function createApiMetrics(prisma: PrismaClient) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerCatalogSyncMetrics(registry, prisma);
  registerOrderMetrics(registry, prisma);
  return { registry, webhooks: webhookCounter(registry), photoSearchDuration: photoSearchHistogram(registry) };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
