import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import got from 'got';
import { CATALOG_TASK_QUEUE, PRODUCT_SYNC_SCHEDULE_ID, WORKER_DEPLOYMENT_NAME } from '../../common/contract';
import { parsePayloadKeys } from '../../common/payload-codec';
import { temporalDataConverter } from '../../common/temporal-connection';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import type { ManagedProcess } from '../../scripts/lib/processes';
import { isPortOpen } from '../../scripts/lib/wait';
import { workflowBundleOptions } from '../../workers/workflow-bundle';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/test-postgres';

/**
 * The worker process as production runs it: the workflow bundle built ahead of time, one worker per task queue
 * with its limits, a health endpoint, its Worker Deployment version made current, JSON logs, and a clean SIGTERM.
 */
const ROOT = path.resolve(__dirname, '../..');
// Not imported from support/system.ts: that installs a Temporal Runtime in this process, which keeps jest alive.
const FIXTURES = {
  productionToken: 'test-production-token-0123456789',
  telegramToken: '123456:TEST-telegram-token-abcdefghijkl',
  webhookSecret: 'test-webhook-secret-0123456789',
  kaspiSecret: 'test-kaspi-secret-0123456789ab',
};
const PAYLOAD_KEYS = 'k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-worker-'));
let temporal: ManagedProcess;
let db: TestDatabase;
let client: Client;
let worker: ChildProcess;
let output = '';
const ports: Record<string, number> = {};

beforeAll(async () => {
  for (const name of ['TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'WORKER_HTTP_PORT', 'WORKER_SDK_METRICS_PORT'])
    ports[name] = await freePort();
  [temporal, db] = await Promise.all([
    startTemporalDevServer({
      port: ports.TEMPORAL_PORT,
      uiPort: ports.TEMPORAL_UI_PORT,
      namespace: 'default',
      dbFile: path.join(dir, 'temporal.db'),
      logFile: path.join(dir, 'temporal.log'),
      cwd: ROOT,
    }),
    createTestDatabase(),
  ]);
  const bundle = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundle, (await bundleWorkflowCode(workflowBundleOptions())).code);
  // The worker's keys: the schedule's summary is a payload, encrypted like the rest.
  client = new Client({
    connection: await Connection.connect({ address: `127.0.0.1:${ports.TEMPORAL_PORT}` }),
    dataConverter: temporalDataConverter({ PAYLOAD_KEYS: parsePayloadKeys(PAYLOAD_KEYS) }),
  });

  worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.TEMPORAL_PORT}`,
      PRODUCTION_API_URL: 'http://127.0.0.1:9/api/v2', // nothing there: the catalog sync just retries
      PRODUCTION_API_TOKEN: FIXTURES.productionToken,
      WEBHOOK_SECRET: FIXTURES.webhookSecret,
      KASPI_CALLBACK_SECRET: FIXTURES.kaspiSecret,
      TELEGRAM_BOT_TOKEN: FIXTURES.telegramToken,
      S3_ACCESS_KEY_ID: 'TESTKEY',
      S3_SECRET_ACCESS_KEY: 'test-s3-secret',
      PAYLOAD_KEYS,
      PHONE_HASH_KEY: 'test-phone-hash-key-0123456789',
      WORKFLOW_BUNDLE: bundle,
      WORKER_HTTP_PORT: String(ports.WORKER_HTTP_PORT),
      WORKER_SDK_METRICS_PORT: String(ports.WORKER_SDK_METRICS_PORT),
      WORKER_SHUTDOWN_GRACE: '5s',
    },
  });
  worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => output.includes('polling task queues') && (clearInterval(timer), resolve()), 100);
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
}, 120_000);

afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await client?.connection.close();
  await temporal?.stop();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the health endpoint lists a running worker per task queue and the build id', async () => {
  const health = await got(`http://127.0.0.1:${ports.WORKER_HTTP_PORT}/health`).json();
  expect(health).toEqual({
    status: 'ok',
    buildId: '0.1.0',
    workers: [
      { taskQueue: 'orders', state: 'RUNNING' },
      { taskQueue: 'catalog', state: 'RUNNING' },
    ],
  });
});

test('the package version is the current version of the Worker Deployment, polled on both queues', async () => {
  const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
    namespace: 'default',
    deploymentName: WORKER_DEPLOYMENT_NAME,
  });
  expect(workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId).toBe('0.1.0');
  const schedule = await client.schedule.getHandle(PRODUCT_SYNC_SCHEDULE_ID).describe();
  expect(schedule.action).toMatchObject({
    type: 'startWorkflow',
    taskQueue: CATALOG_TASK_QUEUE,
    staticSummary: 'Full catalog sync from production (scheduled)',
  });
});

test("the SDK's Prometheus metrics and the worker's business metrics are served", async () => {
  const sdk = await got(`http://127.0.0.1:${ports.WORKER_SDK_METRICS_PORT}/metrics`).text();
  expect(sdk).toMatch(/^temporal_worker_task_slots_available\{.*task_queue="orders".*\} \d+/m);
  expect(sdk).toMatch(/^temporal_num_pollers\{.*task_queue="catalog".*\} \d+/m);
  const business = await got(`http://127.0.0.1:${ports.WORKER_HTTP_PORT}/metrics`).text();
  expect(business).toContain('cvety_orders_paid_total 0');
  expect(business).toContain('process_resident_memory_bytes');
});

test('every line the worker writes is JSON', () => {
  const lines = output.trim().split('\n');
  expect(lines.length).toBeGreaterThan(2);
  expect(lines.filter((line) => !line.startsWith('{')).join('\n')).toBe('');
  expect(lines.map((line) => JSON.parse(line) as { process: string })[0].process).toBe('worker');
});

test('SIGTERM drains the workers and exits 0; health goes away', async () => {
  const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
  worker.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('workers drained');
  expect(await isPortOpen(ports.WORKER_HTTP_PORT)).toBe(false);
}, 30_000);
