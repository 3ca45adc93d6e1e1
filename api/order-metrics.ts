import { Gauge, type Registry } from 'prom-client';
import type { PrismaClient } from '../db/client';

/**
 * Orders an operator must look at, and the latest reconciliation's report, read from the database at scrape
 * time (every API instance shows the same numbers). Alert on `cvety_orders_needing_attention > 0`.
 */
export function registerOrderMetrics(registry: Registry, prisma: PrismaClient): void {
  new Gauge({
    name: 'cvety_orders_needing_attention',
    help: 'Orders with an open problem for an operator (NeedsAttention)',
    registers: [registry],
    async collect() {
      this.set(await prisma.order.count({ where: { needsAttention: true } }));
    },
  });
  new Gauge({
    name: 'cvety_notifications',
    help: 'Customer messages by outcome (in_doubt: Telegram may not have shown it; blocked: the customer blocked the bot)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const groups = await prisma.notification.groupBy({ by: ['status'], _count: { _all: true } });
      for (const g of groups) this.set({ status: g.status }, g._count._all);
    },
  });
  new Gauge({
    name: 'cvety_reconcile_findings',
    help: 'The latest reconcile run: money returned, callbacks redelivered, slot places freed, findings needing attention',
    labelNames: ['outcome'],
    registers: [registry],
    async collect() {
      this.reset();
      const run = await prisma.reconcileRun.findFirst({ orderBy: { finishedAt: 'desc' } });
      if (!run) return;
      const report = run.report as { refunded?: number; redelivered?: number; slotsReleased?: number };
      this.set({ outcome: 'refunded' }, report.refunded ?? 0);
      this.set({ outcome: 'redelivered' }, report.redelivered ?? 0);
      this.set({ outcome: 'slots_released' }, report.slotsReleased ?? 0);
      this.set({ outcome: 'needs_attention' }, run.needsAttention);
    },
  });
}
