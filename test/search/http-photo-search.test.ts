import sharp from 'sharp';
import { createHttpPhotoSearch } from '../../search/http-photo-search';
import { InvalidPhotoError, type PhotoSearch } from '../../search/photo-search-port';
import { productImageJpeg } from '../../standins/images';
import { createVisualSearchStandin, type VisualSearchStandin } from '../../standins/visual-search';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedProducts } from './serve';

let db: TestDatabase;
let standin: VisualSearchStandin;
let photoSearch: PhotoSearch;
let products: Awaited<ReturnType<typeof seedProducts>>;

beforeAll(async () => {
  db = await createTestDatabase();
  products = (await seedProducts(db.prisma)).slice(0, 8);
  standin = await createVisualSearchStandin();
  photoSearch = createHttpPhotoSearch(db.prisma, { url: standin.url, retries: 0 });
  for (const p of products) await photoSearch.index(p.id, `k-${p.externalId}`, await productImageJpeg(p.externalId, 1));
}, 60_000);
afterAll(async () => {
  await standin?.close();
  await db?.drop();
});

describe('search by photo through the external service (HTTP client against its stand-in)', () => {
  test('indexes over HTTP and maps the service bands onto catalog products', async () => {
    expect(standin.indexed()).toHaveLength(products.length);
    const target = products.find((p) => p.available)!;
    const answer = await photoSearch.search(await productImageJpeg(target.externalId, 1));
    expect(answer.exact).toEqual([
      expect.objectContaining({ productId: target.externalId, id: target.id, title: target.title, similarity: 1 }),
    ]);
    expect(answer.similar.every((m) => m.similarity >= 0.7 && m.similarity < 0.85)).toBe(true);
  });

  test('unavailable products are dropped even when the service returns them', async () => {
    const hidden = products.find((p) => !p.available)!;
    const answer = await photoSearch.search(await productImageJpeg(hidden.externalId, 1));
    expect([...answer.exact, ...answer.similar].map((m) => m.productId)).not.toContain(hidden.externalId);
  });

  test('remove() drops a product from the service', async () => {
    const target = products.find((p) => p.available)!;
    await photoSearch.remove(target.id);
    expect(standin.indexed().map((e) => e.productId)).not.toContain(target.id);
    expect((await photoSearch.search(await productImageJpeg(target.externalId, 1))).exact).toEqual([]);
  });

  test('bad photos are refused before any call; an outage is an error, not an empty answer', async () => {
    await expect(photoSearch.search(Buffer.from('not an image'))).rejects.toBeInstanceOf(InvalidPhotoError);
    await fetch(`${standin.url}/__control/down`, { method: 'POST', body: JSON.stringify({ down: true }) });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    await expect(photoSearch.search(png)).rejects.toThrow(/503/);
    await fetch(`${standin.url}/__control/down`, { method: 'POST', body: JSON.stringify({ down: false }) });
  });
});
