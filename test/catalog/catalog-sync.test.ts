import got from 'got';
import type { CatalogSyncReport } from '../../activities/catalog';
import type { CatalogHooks } from '../../activities/photos';
import { PRODUCT_SYNC_SCHEDULE_ID, CATALOG_TASK_QUEUE, productSyncWorkflowId } from '../../common/contract';
import { ensureProductSyncSchedule } from '../../common/schedules';
import { productImageJpeg } from '../../standins/images';
import { catalogSyncWorkflow } from '../../workflows/catalog-sync';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';

/**
 * The catalog sync end to end: the real worker and Temporal dev server, the production API stand-in over HTTP
 * with a catalog set through its control routes, the s3rver stand-in as a real S3 API, a fresh database.
 */
let system: TestSystem;
const hooks: { current: CatalogHooks } = { current: {} };
let runs = 0;

beforeAll(async () => {
  system = await startSystem({
    catalogHooks: {
      afterListingPage: (page, attempt) => hooks.current.afterListingPage?.(page, attempt),
      afterPhotoUploads: (batch, attempt) => hooks.current.afterPhotoUploads?.(batch, attempt),
    },
  });
}, 120_000);
afterAll(() => system?.stop());
beforeEach(async () => {
  hooks.current = {};
  await got.delete(`${system.production.url}/__control/faults`);
  await system.db.prisma.productPhoto.deleteMany();
  await system.db.prisma.product.deleteMany();
});

const photo = (id: number, position = 1) => `${system.production.url}/static/products/${id}-${position}.jpg`;
const setCatalog = (products: object[]) =>
  got.post(`${system.production.url}/__control/products`, { json: { replace: products, webhook: false } });
const fullSync = (): Promise<CatalogSyncReport> =>
  system.client.workflow.execute(catalogSyncWorkflow, {
    taskQueue: CATALOG_TASK_QUEUE,
    workflowId: `test-catalog-sync-${++runs}`,
  });
const photosOf = (externalId: number) =>
  system.db.prisma.productPhoto.findMany({ where: { product: { externalId } }, orderBy: { position: 'asc' } });

test('a cold sync copies each distinct photo once; a second sync with nothing changed fetches nothing', async () => {
  await setCatalog([
    { id: 101, images: [photo(101, 1), photo(101, 2)] },
    { id: 102, images: [photo(102, 1)], type: 'vitrina' },
    { id: 103, images: [photo(101, 1)] }, // the same photo as 101's first: stored once
  ]);
  const putsBefore = system.s3.putCount();
  const cold = await fullSync();
  expect(cold).toMatchObject({
    kind: 'full',
    created: 3,
    updated: 0,
    disabled: 0,
    photosUploaded: 3,
    photosSkipped: 1,
    failures: 0,
  });
  expect(system.s3.putCount() - putsBefore).toBe(3);

  const [first, second] = await photosOf(101);
  expect(first.publicUrl).toMatch(
    new RegExp(`^${system.s3.publicBaseUrl}/products/[0-9a-f]{2}/${first.contentHash}\\.jpg$`),
  );
  const stored = await got(first.publicUrl!, { responseType: 'buffer' });
  expect(stored.body.equals(await productImageJpeg(101, 1))).toBe(true);
  expect(second.storageKey).not.toBe(first.storageKey);
  expect((await photosOf(103))[0].storageKey).toBe(first.storageKey);
  const api = await got(`${system.apiUrl}/api/v1/products?limit=10`).json<{
    items: { externalId: number; images: string[] }[];
  }>();
  expect(api.items.find((p) => p.externalId === 101)?.images).toEqual([first.publicUrl, second.publicUrl]);

  const warm = await fullSync();
  expect(warm).toMatchObject({ created: 0, updated: 0, disabled: 0, photosUploaded: 0, photosSkipped: 4, failures: 0 });
  expect(system.s3.putCount() - putsBefore).toBe(3);

  const metrics = await got(`${system.apiUrl}/metrics`).text();
  expect(metrics).toContain('cvety_catalog_sync_photos{kind="full",outcome="skipped"} 4');
  expect(metrics).toContain('cvety_catalog_sync_products{kind="full",change="created"} 0');
});

test('a changed photo is copied again; a broken photo URL is recorded, skipped, and not fatal', async () => {
  await setCatalog([
    { id: 201, images: [photo(201)] },
    { id: 202, images: [`${system.production.url}/static/products/missing.jpg`] },
  ]);
  expect(await fullSync()).toMatchObject({ created: 2, photosUploaded: 1, photosBroken: 1, failures: 1 });
  expect((await photosOf(202))[0]).toMatchObject({ error: 'HTTP 404', storageKey: null });
  const before = (await photosOf(201))[0];

  await setCatalog([
    { id: 201, images: [photo(201, 2)] },
    { id: 202, images: [`${system.production.url}/static/products/missing.jpg`] },
  ]);
  expect(await fullSync()).toMatchObject({
    created: 0,
    updated: 1,
    photosUploaded: 1,
    photosSkipped: 1,
    photosBroken: 0,
    failures: 0,
  });
  const after = (await photosOf(201))[0];
  expect(after.sourceUrl).toBe(photo(201, 2));
  expect(after.storageKey).not.toBe(before.storageKey);
  expect((await got(after.publicUrl!, { responseType: 'buffer' })).body.equals(await productImageJpeg(201, 2))).toBe(
    true,
  );
});

test('a product that disappears is disabled, not deleted, and comes back', async () => {
  await setCatalog([{ id: 301 }, { id: 302 }]);
  await fullSync();
  await setCatalog([{ id: 301 }]);
  expect(await fullSync()).toMatchObject({ disabled: 1, updated: 0 });
  expect(await system.db.prisma.product.findUnique({ where: { externalId: 302 } })).toMatchObject({ available: false });
  await setCatalog([{ id: 301 }, { id: 302 }]);
  expect(await fullSync()).toMatchObject({ disabled: 0, updated: 1 });
  expect(await system.db.prisma.product.count({ where: { available: true } })).toBe(2);
});

test('the production API failing for a while: the listing is retried and the sync completes', async () => {
  await setCatalog([{ id: 401 }, { id: 402 }]);
  await got.post(`${system.production.url}/__control/faults`, {
    json: { route: '/products/', mode: 'error500', count: 2 },
  });
  expect(await fullSync()).toMatchObject({ created: 2, failures: 0 });
});

test('a worker dying mid-sync resumes from its heartbeat: nothing is listed or uploaded twice', async () => {
  const products = Array.from({ length: 160 }, (_, i) => ({
    id: 5000 + i,
    images: [photo(5000 + i, 1), photo(5000 + i, 2)],
  }));
  await setCatalog(products);
  const crashes: string[] = [];
  hooks.current = {
    afterListingPage: (page, attempt) => {
      if (page !== 2 || attempt !== 1) return;
      crashes.push('listing');
      boom();
    },
    afterPhotoUploads: (batch, attempt) => {
      if (batch !== 2 || attempt !== 1) return;
      crashes.push('photos');
      boom();
    },
  };
  const putsBefore = system.s3.puts();
  const report = await fullSync();
  expect(crashes).toEqual(['listing', 'photos']);
  expect(report).toMatchObject({ created: 160, updated: 0, photosUploaded: 320, photosSkipped: 0, failures: 0 });
  const putsNow = system.s3.puts();
  const newKeys = [...putsNow.keys()].filter((key) => !putsBefore.has(key));
  expect(newKeys).toHaveLength(320);
  expect(newKeys.filter((key) => putsNow.get(key) !== 1)).toEqual([]);
  expect(await system.db.prisma.productPhoto.count({ where: { storageKey: null } })).toBe(0);
});

test('webhooks for one product while its sync runs start one workflow; a wrong secret is refused', async () => {
  await setCatalog([{ id: 601, images: [photo(601)] }]);
  const headers = { 'X-Webhook-Secret': FIXTURES.webhookSecret };
  const refused = await got.post(`${system.apiUrl}/api/v1/webhooks/product-updated`, {
    json: { product_id: 601 },
    throwHttpErrors: false,
  });
  expect(refused.statusCode).toBe(401);

  await got.post(`${system.production.url}/__control/faults`, {
    json: { route: '/products/detail/', mode: 'slow', delayMs: 1500, count: 1 },
  });
  const post = () =>
    got
      .post(`${system.apiUrl}/api/v1/webhooks/product-updated`, { json: { product_id: 601 }, headers })
      .json<{ workflowId: string }>();
  const [first, second] = [await post(), await post()];
  expect(first.workflowId).toBe(productSyncWorkflowId(601));
  expect(second.workflowId).toBe(first.workflowId);
  const report = await system.client.workflow.getHandle<() => Promise<CatalogSyncReport>>(first.workflowId).result();
  expect(report).toMatchObject({ kind: 'product', created: 1, photosUploaded: 1 });

  const executions = [];
  for await (const execution of system.client.workflow.list({ query: `WorkflowId = '${first.workflowId}'` }))
    executions.push(execution);
  expect(executions).toHaveLength(1);
  expect(
    (await system.db.prisma.product.findUnique({ where: { externalId: 601 }, include: { photos: true } }))?.photos[0]
      .storageKey,
  ).toBeTruthy();
});

test('the product-sync schedule is created once and updated only when its interval changes; a pause is kept', async () => {
  const hours = (n: number) => n * 3_600_000;
  expect(await ensureProductSyncSchedule(system.client, { PRODUCT_SYNC_EVERY: hours(6) })).toBe('created');
  expect(await ensureProductSyncSchedule(system.client, { PRODUCT_SYNC_EVERY: hours(6) })).toBe('unchanged');
  const handle = system.client.schedule.getHandle(PRODUCT_SYNC_SCHEDULE_ID);
  await handle.pause('operator pause');
  expect(await ensureProductSyncSchedule(system.client, { PRODUCT_SYNC_EVERY: hours(3) })).toBe('updated');
  const described = await handle.describe();
  expect(described.spec.intervals).toEqual([expect.objectContaining({ every: hours(3) })]);
  expect(described.state.paused).toBe(true);
  expect(described.policies.overlap).toBe('SKIP');
  expect(described.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: 'catalogSyncWorkflow',
    taskQueue: CATALOG_TASK_QUEUE,
  });
  await handle.delete();
});

function boom(): never {
  throw new Error('worker died (test)');
}
