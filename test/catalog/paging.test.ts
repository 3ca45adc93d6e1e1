import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment as BaseEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import got from 'got';
import { createCatalogActivities, type ListingReport } from '../../activities/catalog';
import { createProductionApi } from '../../activities/production-api';
import { createProductionApiStandin, type ProductionApiStandin } from '../../standins/production-api';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The listing activity against the real production API stand-in over HTTP, through a proxy that can make the
 * API lie about `hasMore` or ignore `offset`, with a fresh database; no Temporal server needed.
 */
const TOKEN = 'test-production-token-0123456789';
/** Warnings (skipped product, repeated page) are expected here. */
class MockActivityEnvironment extends BaseEnvironment {
  constructor(info?: ConstructorParameters<typeof BaseEnvironment>[0]) {
    super(info, { logger: new DefaultLogger('ERROR') });
  }
}
type Lie = 'none' | 'hasMore-always' | 'ignores-offset';

let db: TestDatabase;
let production: ProductionApiStandin;
let proxy: { url: string; lie: Lie; requests: string[]; close(): Promise<void> };

beforeAll(async () => {
  [db, production] = await Promise.all([createTestDatabase(), createProductionApiStandin({ token: TOKEN })]);
  proxy = await startLyingProxy(production.url);
});
afterAll(async () => {
  await proxy.close();
  await production.close();
  await db.drop();
});
beforeEach(async () => {
  proxy.lie = 'none';
  proxy.requests.length = 0;
  await db.prisma.productPhoto.deleteMany();
  await db.prisma.product.deleteMany();
});

const activities = () =>
  createCatalogActivities({
    prisma: db.prisma,
    production: createProductionApi({ baseUrl: `${proxy.url}/api/v2`, token: TOKEN, cityId: 2 }),
  });

async function setCatalog(products: object[]): Promise<void> {
  await got.post(`${production.url}/__control/products`, { json: { replace: products, webhook: false } });
}
const bouquets = (count: number, type = 'catalog', firstId = 1000) =>
  Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    title: `Букет ${firstId + i}`,
    price: '10 000 ₸',
    type,
  }));

async function listing(syncId: string, env = new MockActivityEnvironment()): Promise<ListingReport> {
  const acts = activities();
  return env.run((input: { syncId: string }) => acts.syncListing(input), { syncId });
}
const pagesAsked = (type: string) =>
  proxy.requests.filter((r) => r.includes(`type=${type}`)).map((r) => Number(/offset=(\d+)/.exec(r)?.[1]));

test('an empty catalog: one empty page per type, nothing created', async () => {
  await setCatalog([]);
  const report = await listing('run-empty');
  expect(report).toMatchObject({ seen: 0, created: 0, updated: 0, failures: 0 });
  expect(pagesAsked('catalog')).toEqual([0]);
  expect(pagesAsked('vitrina')).toEqual([0]);
});

test('a full last page with hasMore false ends paging; 250 products take three pages', async () => {
  await setCatalog([...bouquets(100, 'vitrina', 5000), ...bouquets(250)]);
  const report = await listing('run-pages');
  expect(report).toMatchObject({ seen: 350, created: 350 });
  expect(pagesAsked('catalog')).toEqual([0, 100, 200]);
  expect(pagesAsked('vitrina')).toEqual([0]);
  expect(await db.prisma.product.count({ where: { type: 'vitrina' } })).toBe(100);
});

test('hasMore lying: paging stops on a short page and on an empty page', async () => {
  proxy.lie = 'hasMore-always';
  await setCatalog([...bouquets(200, 'vitrina', 5000), ...bouquets(150)]);
  const report = await listing('run-lies');
  expect(report.seen).toBe(350);
  expect(pagesAsked('catalog')).toEqual([0, 100]); // 100 + a short 50
  expect(pagesAsked('vitrina')).toEqual([0, 100, 200]); // 100 + 100 + empty
});

test('an API that ignores offset (same page forever) does not loop', async () => {
  proxy.lie = 'ignores-offset';
  await setCatalog(bouquets(300));
  const report = await listing('run-loop');
  expect(report.seen).toBe(100);
  expect(pagesAsked('catalog')).toEqual([0, 100]);
});

test('every price format of the shop parses to tiyn; an unparseable price skips only that product', async () => {
  const prices = [
    '17 820 ₸',
    '17\u00a0820 ₸',
    '17\u202f820\u00a0₸',
    '17\u2009820₸',
    '17820 ₸',
    '17820',
    '17 820',
    ' 17 820 ₸ ',
    '17 820,00 ₸',
  ];
  await setCatalog([
    ...prices.map((price, i) => ({ id: 2000 + i, price, title: `Цена ${i}` })),
    { id: 2999, price: 'договорная', title: 'Без цены' },
  ]);
  const report = await listing('run-prices');
  expect(report).toMatchObject({ seen: prices.length, created: prices.length, failures: 1 });
  const rows = await db.prisma.product.findMany({ orderBy: { externalId: 'asc' } });
  expect(rows.map((r) => r.priceKopecks)).toEqual(prices.map(() => 1_782_000));
  expect(rows.find((r) => r.externalId === 2999)).toBeUndefined();
});

test('a product that disappears becomes unavailable (not deleted) and comes back on the next listing', async () => {
  const acts = activities();
  const disable = (input: { syncId: string; seen: number }) => acts.disableUnlisted(input);
  await setCatalog(bouquets(3));
  await listing('run-1');
  await setCatalog(bouquets(3).filter((p) => p.id !== 1001));
  const second = await listing('run-2');
  expect(await new MockActivityEnvironment().run(disable, { syncId: 'run-2', seen: second.seen })).toEqual({
    disabled: 1,
  });
  expect(await db.prisma.product.findUnique({ where: { externalId: 1001 } })).toMatchObject({
    available: false,
    title: 'Букет 1001',
  });

  await setCatalog(bouquets(3));
  const third = await listing('run-3');
  expect(third).toMatchObject({ created: 0, updated: 1 });
  expect(await new MockActivityEnvironment().run(disable, { syncId: 'run-3', seen: third.seen })).toEqual({
    disabled: 0,
  });
  expect(await db.prisma.product.count({ where: { available: true } })).toBe(3);
});

test('an empty listing (an outage, not a closed shop) disables nothing', async () => {
  await setCatalog(bouquets(2));
  await listing('run-a');
  await setCatalog([]);
  const report = await listing('run-b');
  expect(
    await new MockActivityEnvironment().run(
      (input: { syncId: string; seen: number }) => activities().disableUnlisted(input),
      { syncId: 'run-b', seen: report.seen },
    ),
  ).toEqual({ disabled: 0 });
  expect(await db.prisma.product.count({ where: { available: true } })).toBe(2);
});

test('a retried listing resumes from its heartbeat details', async () => {
  await setCatalog(bouquets(250));
  const resumed = new MockActivityEnvironment({
    attempt: 2,
    heartbeatDetails: {
      typeIndex: 0,
      offset: 200,
      seen: 200,
      created: 200,
      updated: 0,
      photosUnchanged: 0,
      failures: 0,
      pages: 2,
    },
  });
  const report = await listing('run-resume', resumed);
  expect(pagesAsked('catalog')).toEqual([200]);
  expect(report).toMatchObject({ seen: 250, created: 250, pages: 4 });
});

async function startLyingProxy(target: string) {
  const state = { url: '', lie: 'none' as Lie, requests: [] as string[], close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const listingCall = url.includes('/products/?');
    if (listingCall) state.requests.push(url);
    const forwarded = state.lie === 'ignores-offset' && listingCall ? url.replace(/offset=\d+/, 'offset=0') : url;
    got(`${target}${forwarded}`, {
      headers: { authorization: req.headers.authorization ?? '' },
      throwHttpErrors: false,
    })
      .then((answer) => {
        let body = answer.body;
        if (listingCall && state.lie !== 'none') {
          const json = JSON.parse(body);
          json.pagination.hasMore = true;
          body = JSON.stringify(json);
        }
        res.writeHead(answer.statusCode, { 'content-type': 'application/json' }).end(body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((r) => server.close(() => r()));
  return state;
}
