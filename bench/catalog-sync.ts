/**
 * Catalog sync benchmark: 5,000 products with 2 photos each on the production API stand-in, the real worker
 * process (workers/main.ts) against a local Temporal dev server, a fresh PostgreSQL database and the s3rver
 * stand-in. A cold full sync, then a second one with nothing changed. Targets: ≤ 60 s cold, ≤ 5 s unchanged.
 *
 * Photos are served by a small static server here, as the shop's CDN serves files: the stand-in draws each photo
 * with sharp (~15 ms apiece), which would measure the drawing rather than the sync. Each of the 10,000 photos has
 * distinct bytes (a base JPEG plus a comment segment naming it), so each one is hashed and uploaded.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CatalogSyncReport } from '../activities/catalog';
import type { Client } from '@temporalio/client';
import { CATALOG_TASK_QUEUE } from '../common/contract';
import { parsePayloadKeys } from '../common/payload-codec';
import { connectTemporalClient } from '../common/temporal-connection';
import { temporalCliPath } from '../common/temporal-binaries';
import { formatTenge, type StandinProduct } from '../standins/catalog';
import { productImageJpeg } from '../standins/images';
import { createProductionApiStandin } from '../standins/production-api';
import { createS3Standin } from '../standins/s3';
import { createTestDatabase } from '../test/support/database';
import { chooseTestPostgres } from '../test/support/test-postgres';

const PRODUCTS = 5_000;
const PHOTOS_PER_PRODUCT = 2;
const ROOT = path.resolve(__dirname, '..');
const SECRETS = {
  PRODUCTION_API_TOKEN: 'bench-production-token-0123456789',
  WEBHOOK_SECRET: 'bench-webhook-secret-0123456789',
  KASPI_CALLBACK_SECRET: 'bench-kaspi-secret-0123456789',
  TELEGRAM_BOT_TOKEN: '123456:BENCH-telegram-token-abcdefghij',
  S3_ACCESS_KEY_ID: 'BENCHKEY',
  S3_SECRET_ACCESS_KEY: 'bench-s3-secret',
  PAYLOAD_KEYS: 'bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  PHONE_HASH_KEY: 'bench-phone-hash-key-0123456789',
};

export async function run(): Promise<object> {
  const postgres = await chooseTestPostgres();
  process.env.TEST_PG_ADMIN_URL = postgres.adminUrl;
  const cleanups: (() => Promise<unknown>)[] = [() => postgres.stop()];
  try {
    const db = await createTestDatabase();
    cleanups.unshift(() => db.drop());
    const temporal = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalCliPath() }, ip: '127.0.0.1', ui: false },
    });
    cleanups.unshift(() => temporal.teardown());
    const photos = await startPhotoServer();
    cleanups.unshift(photos.close);
    const production = await createProductionApiStandin({
      token: SECRETS.PRODUCTION_API_TOKEN,
      catalog: benchCatalog(photos.url),
    });
    cleanups.unshift(() => production.close());
    const s3 = await createS3Standin({
      bucket: 'cvety-photos',
      accessKeyId: SECRETS.S3_ACCESS_KEY_ID,
      secretAccessKey: SECRETS.S3_SECRET_ACCESS_KEY,
    });
    cleanups.unshift(() => s3.close());

    const worker = await startWorker({
      ...SECRETS,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporal.address,
      PRODUCTION_API_URL: production.apiUrl,
      S3_ENDPOINT: s3.url,
      S3_PUBLIC_BASE_URL: s3.publicBaseUrl,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    });
    cleanups.unshift(worker.stop);
    // The worker encrypts payloads: the bench reads the sync's report through the same codec.
    const client = await connectTemporalClient({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      PAYLOAD_KEYS: parsePayloadKeys(SECRETS.PAYLOAD_KEYS),
    });
    cleanups.unshift(() => client.connection.close());
    const sync = async (name: string) => {
      const started = performance.now();
      const report = await client.workflow.execute<() => Promise<CatalogSyncReport>>('catalogSyncWorkflow', {
        taskQueue: CATALOG_TASK_QUEUE,
        workflowId: `bench-${name}`,
      });
      return { seconds: round((performance.now() - started) / 1000), report };
    };

    const idleRssMb = worker.resetPeak();
    const cold = await sync('cold');
    const coldPeak = worker.peak();
    worker.resetPeak();
    const unchanged = await sync('unchanged');
    const storedPhotos = await db.prisma.productPhoto.count({ where: { storageKey: { not: null } } });
    return {
      products: PRODUCTS,
      photos: PRODUCTS * PHOTOS_PER_PRODUCT,
      coldSeconds: cold.seconds,
      coldTargetSeconds: 60,
      unchangedSeconds: unchanged.seconds,
      unchangedTargetSeconds: 5,
      photosUploadedCold: cold.report.photosUploaded,
      photosUploadedUnchanged: unchanged.report.photosUploaded,
      photosSkippedUnchanged: unchanged.report.photosSkipped,
      s3Puts: s3.putCount(),
      storedPhotos,
      coldPhotosPerSecond: round(cold.report.photosUploaded / cold.seconds),
      workerRssMbBeforeSync: idleRssMb,
      peakWorkerRssMbCold: coldPeak,
      peakWorkerRssMbUnchanged: worker.peak(),
      searchIndexing: 'not measured here: the PhotoIndex port is the no-op default until the photo search plugs in',
      coldActivitySeconds: await activitySeconds(client, 'bench-cold'),
      reports: { cold: cold.report, unchanged: unchanged.report },
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

/** Seconds each activity of a run took, from its history (scheduled → completed). */
async function activitySeconds(client: Client, workflowId: string): Promise<Record<string, number>> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, { type: string; at: number }>();
  const out: Record<string, number> = {};
  for (const event of history.events ?? []) {
    const at = Number(event.eventTime?.seconds ?? 0) * 1000 + Number(event.eventTime?.nanos ?? 0) / 1e6;
    const attrs = event.activityTaskScheduledEventAttributes;
    if (attrs) scheduled.set(String(event.eventId), { type: attrs.activityType?.name ?? '?', at });
    const done = event.activityTaskCompletedEventAttributes;
    const start = done && scheduled.get(String(done.scheduledEventId));
    if (start) out[start.type] = round((at - start.at) / 1000);
  }
  return out;
}

function benchCatalog(photoOrigin: string): StandinProduct[] {
  const separators = [' ', '\u00a0', '\u202f', ''];
  return Array.from({ length: PRODUCTS }, (_, i) => {
    const id = 800_000 + i;
    const images = Array.from({ length: PHOTOS_PER_PRODUCT }, (_, p) => `${photoOrigin}/photos/${id}-${p + 1}.jpg`);
    return {
      id,
      title: `Букет №${i + 1}`,
      price: formatTenge(5_000 + ((i * 37) % 60_000), separators[i % 4]),
      isAvailable: i % 17 !== 0,
      image: images[0],
      images,
      createdAt: '2025-10-01T12:00:00+0500',
      type: i % 5 === 0 ? 'vitrina' : 'catalog',
      discount: i % 9 === 0 ? '10' : '0',
      composition: 'Роза, эустома, эвкалипт',
      catalogHeight: `${40 + (i % 40)} см`,
      catalogWidth: '',
      productionTime: null,
    };
  });
}

/** Static photo server: `/photos/<id>-<n>.jpg`, distinct valid JPEGs built from 16 drawn ones. */
async function startPhotoServer() {
  const bases = await Promise.all(Array.from({ length: 16 }, (_, i) => productImageJpeg(697695 + i * 37, 1)));
  const server = http.createServer((req, res) => {
    const match = /^\/photos\/(\d+)-(\d+)\.jpg$/.exec(req.url ?? '');
    if (!match) return res.writeHead(404).end();
    const base = bases[(Number(match[1]) * 2 + Number(match[2])) % bases.length];
    const comment = Buffer.from(`cvety bench ${match[1]}-${match[2]}`);
    const segment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, comment.length + 2]), comment]);
    const jpeg = Buffer.concat([base.subarray(0, 2), segment, base.subarray(2)]);
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length }).end(jpeg);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** workers/main.ts as its own process; its memory (the largest process of its tree) sampled every 100 ms. */
async function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'workers/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('polling task queue')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output.slice(-2000)}`)));
  });
  let peakMb = 0;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, largestRssMb(child.pid!))), 100);
  return {
    peak: () => peakMb,
    resetPeak: () => (peakMb = largestRssMb(child.pid!)),
    stop: async () => {
      clearInterval(sampler);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function largestRssMb(pid: number): number {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    try {
      tree.push(
        ...readFileSync(`/proc/${tree[i]}/task/${tree[i]}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number),
      );
    } catch {
      // the process has exited
    }
  }
  const rss = tree.map((p) => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  });
  return round(Math.max(0, ...rss));
}

const round = (n: number) => Math.round(n * 10) / 10;
