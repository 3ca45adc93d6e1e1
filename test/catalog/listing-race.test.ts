import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import got from 'got';
import { createCatalogActivities, type ListingReport } from '../../activities/catalog';
import { createPricingActivities } from '../../activities/pricing';
import { createProductionApi } from '../../activities/production-api';
import type { PrismaClient } from '../../db/client';
import { createProductionApiStandin, type ProductionApiStandin } from '../../standins/production-api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { shopDate } from '../support/dates';

/**
 * An order's pricing writes a product the catalog sync has not stored yet, while the sync is listing it: the real
 * pricing activity runs in the gap between the listing's read of what exists and its insert of what is new (the
 * gap is opened on purpose by a database client that runs the pricing right after that read). The product must
 * count as seen by the sync, or the sync's last step marks a listed, available bouquet unavailable.
 */
const TOKEN = 'test-production-token-0123456789';
const PRODUCT = 4242;

let db: TestDatabase;
let production: ProductionApiStandin;
beforeAll(async () => {
  [db, production] = await Promise.all([createTestDatabase(), createProductionApiStandin({ token: TOKEN })]);
  await got.post(`${production.url}/__control/products`, {
    json: { replace: [{ id: PRODUCT, title: 'Розы 15', price: '15 000 ₸', type: 'catalog' }], webhook: false },
  });
});
afterAll(async () => {
  await production.close();
  await db.drop();
});

test('a product an order priced during the listing stays available after the sync', async () => {
  const api = createProductionApi({ baseUrl: `${production.url}/api/v2`, token: TOKEN, cityId: 2 });
  const pricing = createPricingActivities({
    prisma: db.prisma,
    production: api,
    deliveryFeeKopecks: 0,
    shopTimeZone: 'Asia/Almaty',
  });
  let ordered = false;
  const pricingInTheGap = db.prisma.$extends({
    query: {
      product: {
        async findMany({ args, query }) {
          const existing = await query(args);
          if (!ordered) {
            ordered = true;
            await pricing.priceOrder({
              customer: { phone: '+77011234567' },
              delivery: { type: 'pickup', date: shopDate(1), slot: '14:00-16:00' },
              items: [{ productId: PRODUCT, quantity: 1 }],
              paymentMethod: 'kaspi',
            });
          }
          return existing;
        },
      },
    },
  }) as unknown as PrismaClient;
  const catalog = createCatalogActivities({ prisma: pricingInTheGap, production: api });
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

  const listed = await env.run<[], ListingReport, () => Promise<ListingReport>>(() =>
    catalog.syncListing({ syncId: 'run-1' }),
  );
  const { disabled } = await env.run<[], { disabled: number }, () => Promise<{ disabled: number }>>(() =>
    catalog.disableUnlisted({ syncId: 'run-1', seen: listed.seen }),
  );

  expect(ordered).toBe(true);
  expect(disabled).toBe(0);
  const product = await db.prisma.product.findUniqueOrThrow({ where: { externalId: PRODUCT } });
  expect(product).toMatchObject({ available: true, lastSeenSync: 'run-1' });
});
