import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import type { Logger } from '../../common/logging';
import type { PrismaClient } from '../../db/client';
import { describeError } from '../errors';

/**
 * `GET /health` answers 200 only when Temporal and the database both answer, and says only ok / unavailable
 * for each (the reason stays in the logs); `GET /metrics` for Prometheus.
 */
export function healthRoutes({
  temporal,
  prisma,
  metrics,
  logger,
}: {
  temporal: Client;
  prisma: PrismaClient;
  metrics: Registry;
  logger: Logger;
}): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const check = (name: string, probe: Promise<unknown>) =>
      Promise.race([
        probe.then(() => 'ok'),
        new Promise<string>((r) => setTimeout(() => r('unavailable'), 3000).unref()),
      ]).catch((err: unknown) => {
        logger.warn({ dependency: name, error: describeError(err) }, 'health: a dependency is unavailable');
        return 'unavailable';
      });
    const [temporalStatus, database] = await Promise.all([
      check('temporal', temporal.connection.workflowService.getSystemInfo({})),
      check('database', prisma.$queryRaw`SELECT 1`),
    ]);
    const ok = temporalStatus === 'ok' && database === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', temporal: temporalStatus, database });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return router;
}
