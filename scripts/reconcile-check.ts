/**
 * `npm run reconcile:check [--retry-for=30s] [trackingId...]`: reconciles the orders of a local stack (`npm start`, or a rehearsal
 * pointed at by the same environment) against the stand-ins and Temporal, and prints one JSON line; exit 1 when
 * anything is out of place. Reads are retried for a while, as after a restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, parseDuration } from '../common/config';
import { connectTemporalClient } from '../common/temporal-connection';
import { createPrisma } from '../db/client';
import { embeddedPostgresUrl } from '../db/embedded';
import { planRun } from './lib/local-env';
import { reconcileUntilClean } from './lib/reconcile-check';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const envFile = path.join(root, '.env');
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
  const { env, ports } = planRun(path.resolve(root, process.env.DATA_DIR || '.data'), process.env);
  env.DATABASE_URL ??= embeddedPostgresUrl(ports.postgres);
  const config = loadConfig(env);
  const prisma = createPrisma(config.DATABASE_URL);
  const temporal = await connectTemporalClient(config);
  try {
    const args = process.argv.slice(2);
    const retryFor = args.find((arg) => arg.startsWith('--retry-for='))?.split('=')[1] ?? '30s';
    const trackingIds = args.filter((arg) => !arg.startsWith('--'));
    const result = await reconcileUntilClean(
      {
        prisma,
        temporal,
        productionUrl: new URL(config.PRODUCTION_API_URL).origin,
        telegramUrl: new URL(config.TELEGRAM_API_ROOT).origin,
        trackingIds: trackingIds.length ? trackingIds : undefined,
      },
      parseDuration(retryFor),
    );
    console.log(JSON.stringify(result));
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await prisma.$disconnect();
    await temporal.connection.close();
  }
}

main().catch((err: unknown) => {
  console.log(JSON.stringify({ ok: false, error: (err as Error).message }));
  process.exit(1);
});
