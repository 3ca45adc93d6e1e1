import { Gauge, type Registry } from 'prom-client';
import type { PrismaClient } from '../db/client';

/**
 * The catalog sync's reports on /metrics. Each run stores its report (table CatalogSyncRun, written by the
 * workflow's last activity); these gauges read the latest run of each kind at scrape time, so every API
 * instance shows the same numbers and nothing is lost when a process restarts.
 */
const KINDS = ['full', 'product'] as const;
const PRODUCT_CHANGES = ['created', 'updated', 'disabled'] as const;
const PHOTO_OUTCOMES = { uploaded: 'photosUploaded', skipped: 'photosSkipped', broken: 'photosBroken' } as const;

export function registerCatalogSyncMetrics(registry: Registry, prisma: PrismaClient): void {
  const latest = async () =>
    Promise.all(
      KINDS.map((kind) => prisma.catalogSyncRun.findFirst({ where: { kind }, orderBy: { finishedAt: 'desc' } })),
    );
  // One read per scrape, shared by every gauge of that scrape.
  let pending: ReturnType<typeof latest> | undefined;
  const runs = () => {
    pending ??= latest().finally(() => setTimeout(() => (pending = undefined), 0));
    return pending;
  };
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge, run: NonNullable<Awaited<ReturnType<typeof latest>>[number]>) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['kind', ...labelNames],
      registers: [registry],
      async collect() {
        this.reset();
        for (const run of await runs()) if (run) fill(this, run);
      },
    });

  gauge('cvety_catalog_sync_products', 'Products changed by the latest catalog sync run', ['change'], (g, run) => {
    for (const change of PRODUCT_CHANGES) g.set({ kind: run.kind, change }, run[change]);
  });
  gauge('cvety_catalog_sync_photos', 'Photos handled by the latest catalog sync run', ['outcome'], (g, run) => {
    for (const [outcome, field] of Object.entries(PHOTO_OUTCOMES)) g.set({ kind: run.kind, outcome }, run[field]);
  });
  gauge(
    'cvety_catalog_sync_failures',
    'Failures (broken photos included) in the latest catalog sync run',
    [],
    (g, run) => g.set({ kind: run.kind }, run.failures),
  );
  gauge('cvety_catalog_sync_duration_seconds', 'Duration of the latest catalog sync run', [], (g, run) =>
    g.set({ kind: run.kind }, run.durationMs / 1000),
  );
  gauge(
    'cvety_catalog_sync_last_finished_timestamp_seconds',
    'When the latest catalog sync run finished (alert when too old)',
    [],
    (g, run) => g.set({ kind: run.kind }, run.finishedAt.getTime() / 1000),
  );
}
