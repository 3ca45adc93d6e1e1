import { createFeatureWriter, type FeatureRow } from '../../search/local/feature-writer';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let productIds: number[];
beforeAll(async () => {
  db = await createTestDatabase();
  const rows = await db.prisma.product.createManyAndReturn({
    data: [1, 2, 3].map((i) => ({ externalId: 900 + i, title: `P${i}`, priceKopecks: 100, type: 'catalog' })),
    select: { id: true },
  });
  productIds = rows.map((r) => r.id);
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const row = (productId: number, photoKey: string, fill: number): FeatureRow => ({
  productId,
  photoKey,
  recipe: 'test-recipe',
  vector: new Uint8Array(8).fill(fill),
  descriptors: new Uint8Array(32).fill(fill),
  points: new Uint8Array(8).fill(fill),
});

describe('feature rows written in batches', () => {
  test('parallel writes all land, the last write of a photo wins, and updatedAt is the UTC time of the write', async () => {
    const write = createFeatureWriter(db.prisma);
    const before = Date.now();
    await Promise.all([
      write(row(productIds[0], 'a', 1)),
      write(row(productIds[0], 'b', 2)),
      write(row(productIds[1], 'a', 3)),
      write(row(productIds[0], 'a', 4)),
    ]);
    const rows = await db.prisma.photoFeature.findMany({ orderBy: [{ productId: 'asc' }, { photoKey: 'asc' }] });
    expect(rows.map((r) => [r.productId, r.photoKey, r.vector[0]])).toEqual([
      [productIds[0], 'a', 4],
      [productIds[0], 'b', 2],
      [productIds[1], 'a', 3],
    ]);
    for (const r of rows) expect(Math.abs(r.updatedAt.getTime() - before)).toBeLessThan(60_000);
  });

  test('a row that cannot be written fails only its own call', async () => {
    const write = createFeatureWriter(db.prisma);
    const results = await Promise.allSettled([
      write(row(productIds[2], 'x', 5)),
      write(row(-1, 'no-such-product', 6)),
      write(row(productIds[2], 'y', 7)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await db.prisma.photoFeature.count({ where: { productId: productIds[2] } })).toBe(2);
  });
});
