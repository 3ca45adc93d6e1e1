import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Api } from 'grammy';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { createPhotoStorage } from '../../activities/photo-storage';
import type { CatalogHooks } from '../../activities/photos';
import { createProductionApi } from '../../activities/production-api';
import { createApp, type AppDeps } from '../../api/app';
import { createLogger } from '../../common/logging';
import type { ApiSettings } from '../../api/settings';
import { createProductSyncStarter } from '../../common/catalog-sync-client';
import type { OrderSettings } from '../../common/order';
import { registerSearchAttributes } from '../../common/search-attributes';
import { temporalCliPath } from '../../common/temporal-binaries';
import { createKaspiEventRouter } from '../../orders/kaspi-events';
import { createOrderClient, type OrderClient } from '../../orders/order-client';
import { createSlots, type Slots } from '../../orders/slots';
import { parseSlotCapacity } from '../../common/slot-capacity';
import { createProductionApiStandin, type ProductionApiStandin } from '../../standins/production-api';
import { createS3Standin, type S3Standin } from '../../standins/s3';
import { createTelegramStandin, type TelegramStandin } from '../../standins/telegram';
import type { PhotoIndex } from '../../search/photo-index-port';
import { createWorker } from '../../workers/create-worker';
import { createTestDatabase, type TestDatabase } from './database';
import { createTimeSkippingEnv, workflowBundle } from './temporal';

/** Fixture secrets: fake, for tests only. */
export const FIXTURES = {
  productionToken: 'test-production-token-0123456789',
  telegramToken: '123456:TEST-telegram-token-abcdefghijkl',
  webhookSecret: 'test-webhook-secret-0123456789',
  kaspiSecret: 'test-kaspi-secret-0123456789ab',
};

export interface SystemOptions {
  /** `local`: the real dev server (default); `time-skipping`: the test server, for long waits. */
  temporal?: 'local' | 'time-skipping';
  settings?: Partial<OrderSettings>;
  /** Production's data converter (payloads encrypted) for the client and the workers; default: plain. */
  dataConverter?: DataConverter;
  /** Catalog sync: test seams (a throw is a crash at that point) and the photo search port. */
  catalogHooks?: CatalogHooks;
  photoIndex?: PhotoIndex;
  /** How long the activities wait for the production API (a shorter wait makes a slow answer a lost one). */
  productionTimeoutMs?: number;
  maxOrderTotalKopecks?: number;
  /** The API's access rules and limits (api/settings.ts) where they differ from the defaults. */
  api?: Partial<ApiSettings>;
  /** SLOT_CAPACITY; default: so many places that no other test meets a full slot. */
  slotCapacity?: string;
}

export interface TestSystem {
  apiUrl: string;
  production: ProductionApiStandin;
  telegram: TelegramStandin;
  /** The S3 stand-in (s3rver) the photos are copied to. */
  s3: S3Standin;
  db: TestDatabase;
  env: TestWorkflowEnvironment;
  client: Client;
  orders: OrderClient;
  slots: Slots;
  routeKaspiEvent: AppDeps['routeKaspiEvent'];
  deps: ActivityDeps;
  /** Shuts the workers down (as a deploy or a crash would leave the queues): nothing answers queries after it. */
  stopWorkers(): Promise<void>;
  /** New workers on both queues, as after a deploy (after stopWorkers). */
  startWorkers(): Promise<void>;
  stop(): Promise<void>;
}

/** The whole system in one test process, on real servers over loopback: stand-ins, PostgreSQL, Temporal, worker, API. */
export async function startSystem(options: SystemOptions = {}): Promise<TestSystem> {
  const env =
    options.temporal === 'time-skipping'
      ? await createTimeSkippingEnv()
      : await TestWorkflowEnvironment.createLocal({
          server: { executable: { type: 'existing-path', path: temporalCliPath() }, ip: '127.0.0.1', ui: false },
          client: { dataConverter: options.dataConverter },
        });
  if (options.temporal !== 'time-skipping') await registerSearchAttributes(env.connection, 'default');
  const db = await createTestDatabase();
  const settings: OrderSettings = {
    paymentDeadlineMs: 30 * 60_000,
    latePaymentWatchMs: 24 * 3_600_000,
    ...options.settings,
  };
  const slots = createSlots({
    prisma: db.prisma,
    rules: parseSlotCapacity(options.slotCapacity ?? '10000'),
    shopTimeZone: 'Asia/Almaty',
  });
  const orders = createOrderClient({ temporal: env.client, prisma: db.prisma, settings, slots });
  const routeKaspiEvent = createKaspiEventRouter({ temporal: env.client, prisma: db.prisma, settings });

  const app = createApp({
    temporal: env.client,
    prisma: db.prisma,
    orders,
    slots,
    webhookSecret: FIXTURES.webhookSecret,
    kaspiCallbackSecret: FIXTURES.kaspiSecret,
    routeKaspiEvent,
    syncProduct: createProductSyncStarter(env.client),
    settings: options.api,
    logger: createLogger('api', { level: 'silent' }),
  });
  const server = await listen(app);
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const production = await createProductionApiStandin({
    port: 0,
    host: '127.0.0.1',
    token: FIXTURES.productionToken,
    webhookUrl: `${apiUrl}/api/v1/webhooks/order-status-sync`,
    productWebhookUrl: `${apiUrl}/api/v1/webhooks/product-updated`,
    webhookSecret: FIXTURES.webhookSecret,
  });
  const telegram = await createTelegramStandin({ port: 0, host: '127.0.0.1', token: FIXTURES.telegramToken });
  const s3 = await createS3Standin({
    bucket: 'cvety-photos',
    accessKeyId: 'TESTKEY',
    secretAccessKey: 'test-s3-secret',
  });
  const deps: ActivityDeps = {
    prisma: db.prisma,
    production: createProductionApi({
      baseUrl: production.apiUrl,
      token: FIXTURES.productionToken,
      cityId: 2,
      timeoutMs: options.productionTimeoutMs,
    }),
    temporal: env.client,
    maxOrderTotalKopecks: options.maxOrderTotalKopecks,
    telegram: new Api(FIXTURES.telegramToken, { apiRoot: telegram.url }),
    deliveryFeeKopecks: 250_000,
    shopTimeZone: 'Asia/Almaty',
    photoStorage: createPhotoStorage({
      endpoint: s3.url,
      region: 'auto',
      bucket: 'cvety-photos',
      accessKeyId: 'TESTKEY',
      secretAccessKey: 'test-s3-secret',
      publicBaseUrl: s3.publicBaseUrl,
    }),
    photoIndex: options.photoIndex,
    catalogHooks: options.catalogHooks,
  };
  let workers: Worker[] = [];
  let running: Promise<unknown> = Promise.resolve();
  const startWorkers = async () => {
    workers = await Promise.all(
      (['orders', 'catalog'] as const).map(async (queue) =>
        createWorker({
          connection: env.nativeConnection,
          namespace: 'default',
          deps,
          queue,
          workflowBundle: await workflowBundle(),
          dataConverter: options.dataConverter,
        }),
      ),
    );
    running = Promise.all(workers.map((worker) => worker.run()));
  };
  const stopWorkers = async () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
  };
  await startWorkers();

  return {
    apiUrl,
    production,
    telegram,
    s3,
    db,
    env,
    client: env.client,
    orders,
    slots,
    routeKaspiEvent,
    deps,
    stopWorkers,
    startWorkers,
    async stop() {
      await stopWorkers();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([production.close(), telegram.close(), s3.close()]);
      deps.photoStorage?.destroy();
      await env.teardown();
      await db.drop();
    },
  };
}

function listen(app: ReturnType<typeof createApp>): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}
