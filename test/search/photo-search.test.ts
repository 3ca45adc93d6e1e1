import got from 'got';
import sharp from 'sharp';
import { searchByPhotoRoutes } from '../../api/routes/search-by-photo';
import { createLocalPhotoSearch } from '../../search/local/local-photo-search';
import { salientBox } from '../../search/local/salient';
import { bouquetSvg, productImageJpeg } from '../../standins/images';
import { transformPhoto } from '../../bench/photo-transforms';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedProducts, serve } from './serve';

type Match = {
  productId: number;
  id: number;
  title: string;
  priceKopecks: number;
  imageUrl: string;
  similarity: number;
};
type Answer = { exact: Match[]; similar: Match[]; tookMs: number };

let db: TestDatabase;
let engine: ReturnType<typeof createLocalPhotoSearch>;
let server: Awaited<ReturnType<typeof serve>>;
let products: Awaited<ReturnType<typeof seedProducts>>;
const available = () => products.filter((p) => p.available);
const photoOf = (externalId: number) => productImageJpeg(externalId, 1);

// One engine (models load once, ~5-10 s) over a small catalog: 12 products, one photo each, indexed for real.
beforeAll(async () => {
  db = await createTestDatabase();
  products = (await seedProducts(db.prisma)).slice(0, 12);
  engine = createLocalPhotoSearch(db.prisma, { workers: 1, refreshMs: 0 });
  for (const p of products) await engine.index(p.id, `k-${p.externalId}`, await photoOf(p.externalId));
  server = await serve('/search-by-photo', searchByPhotoRoutes({ photoSearch: engine }));
}, 120_000);
afterAll(async () => {
  await server?.close();
  await engine?.close();
  await db?.drop();
});

const post = (bytes: Buffer, field = 'photo', filename = 'photo.jpg') => {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)]), filename);
  return fetch(`${server.url}/search-by-photo`, { method: 'POST', body: form });
};
const search = async (bytes: Buffer): Promise<Answer> => {
  const res = await post(bytes);
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
};

describe('search by photo, local engine', () => {
  test('a customer photo of a catalog bouquet (cropped, recompressed) is an exact match', async () => {
    const target = available()[2];
    const query = await transformPhoto(await photoOf(target.externalId), 'combo', 1);
    const answer = await search(query);
    expect(answer.exact[0]).toMatchObject({
      productId: target.externalId,
      id: target.id,
      title: target.title,
      priceKopecks: target.priceKopecks,
    });
    expect(answer.exact[0].similarity).toBeGreaterThanOrEqual(0.85);
    expect(answer.exact[0].imageUrl).toMatch(/^http/);
    expect(answer.similar.map((m) => m.productId)).not.toContain(target.externalId); // grouped by product
    expect(answer.tookMs).toBeGreaterThan(0);
  });

  test('a colour-shifted or mirrored copy of a catalog photo is still an exact match', async () => {
    const target = available()[4];
    for (const transform of ['color', 'mirror'] as const) {
      const answer = await search(await transformPhoto(await photoOf(target.externalId), transform, 3));
      expect(answer.exact[0]?.productId).toBe(target.externalId);
    }
  });

  test('a different bouquet of the same colours and flowers is similar, not exact', async () => {
    const target = available()[1]; // "101 красная роза": red roses
    const lookalike = await sharp(Buffer.from(bouquetSvg(990_001, 1, { palette: 'red', flower: 'rose' })))
      .jpeg()
      .toBuffer();
    const answer = await search(lookalike);
    expect(answer.exact).toEqual([]);
    const hit = answer.similar.find((m) => m.productId === target.externalId);
    expect(hit?.similarity).toBeGreaterThanOrEqual(0.7);
    expect(hit?.similarity).toBeLessThan(0.85);
  });

  test('a photo of something unrelated has no exact match', async () => {
    const street = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#556070' } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="400" height="300"><rect x="40" y="120" width="320" height="120" fill="#202020"/><circle cx="100" cy="250" r="30" fill="#111"/><circle cx="300" cy="250" r="30" fill="#111"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer();
    expect((await search(street)).exact).toEqual([]);
  });

  test('an unavailable product never appears, even for its own photo', async () => {
    const hidden = products.find((p) => !p.available)!;
    const answer = await search(await photoOf(hidden.externalId));
    expect([...answer.exact, ...answer.similar].map((m) => m.productId)).not.toContain(hidden.externalId);
  });

  test('corrupt, unsupported, oversized or missing photos are refused with a reason', async () => {
    const jpeg = await photoOf(available()[0].externalId);
    const cases: [Buffer, string, number, string][] = [
      [jpeg.subarray(0, 600), 'photo', 422, 'photo_corrupt'],
      [Buffer.from('GIF89a not really'), 'photo', 415, 'photo_type'],
      [Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024)]), 'photo', 413, 'photo_too_large'],
      [jpeg, 'image', 400, 'invalid_request'],
    ];
    for (const [bytes, field, status, code] of cases) {
      const res = await post(bytes, field);
      expect({ status: res.status, body: await res.json() }).toMatchObject({ status, body: { error: { code } } });
    }
    const missing = await got.post(`${server.url}/search-by-photo`, { throwHttpErrors: false, json: {} });
    expect(missing.statusCode).toBe(400);
  });

  test('removed photos leave the index; rows indexed elsewhere come in on refresh', async () => {
    const target = available()[3];
    const query = await transformPhoto(await photoOf(target.externalId), 'crop', 2);
    const row = await db.prisma.photoFeature.findFirstOrThrow({ where: { productId: target.id } });
    await engine.remove(target.id);
    expect((await search(query)).exact.map((m) => m.productId)).not.toContain(target.externalId);
    // As the catalog sync's worker process would: the row appears in PostgreSQL, the API's index refreshes.
    const { id: _id, ...copy } = row;
    await db.prisma.photoFeature.create({ data: copy });
    await engine.refresh();
    expect((await search(query)).exact[0]?.productId).toBe(target.externalId);
  });
});

describe('salient region', () => {
  const rgbOf = async (image: ReturnType<typeof sharp>) => {
    const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  };

  test('a photo pasted onto a plain backdrop is cut out of it', async () => {
    const photo = await sharp(Buffer.from(bouquetSvg(990_002, 1)))
      .resize(120, 120)
      .png()
      .toBuffer();
    const { data, width, height } = await rgbOf(
      sharp({ create: { width: 256, height: 256, channels: 3, background: '#3b3b3b' } }).composite([
        { input: photo, left: 100, top: 90 },
      ]),
    );
    const box = salientBox(data, width, height);
    expect(box.left).toBeGreaterThanOrEqual(98);
    expect(box.top).toBeGreaterThanOrEqual(88);
    expect(box.left + box.width).toBeLessThanOrEqual(222);
    expect(box.top + box.height).toBeLessThanOrEqual(212);
  });

  test('a flat or busy image keeps its whole frame', async () => {
    const flat = await rgbOf(sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }));
    expect(salientBox(flat.data, 64, 64)).toEqual({ left: 0, top: 0, width: 64, height: 64 });
    const noise = Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, k) => (k * 7919) % 251));
    expect(salientBox(noise, 64, 64)).toEqual({ left: 0, top: 0, width: 64, height: 64 });
  });
});

describe('re-indexing after an engine upgrade', () => {
  test('photos marked indexed whose features are of an older recipe are reported as outdated', async () => {
    const [fresh, stale] = products;
    for (const p of [fresh, stale]) {
      await db.prisma.productPhoto.create({
        data: {
          productId: p.id,
          position: 99,
          sourceUrl: 'http://127.0.0.1/x.jpg',
          storageKey: `k-${p.externalId}`,
          indexedAt: new Date(),
        },
      });
    }
    expect(await engine.outdated()).toEqual([]);
    await db.prisma.photoFeature.updateMany({ where: { productId: stale.id }, data: { recipe: 'an-older-recipe' } });
    expect(await engine.outdated()).toEqual([stale.id]);
  });
});
