import { createLocalPhotoSearch } from '../../search/local/local-photo-search';
import { createPhotoEngineClient } from '../../search/photo-engine-client';
import { startPhotoEngineServer } from '../../search/photo-engine-server';
import { InvalidPhotoError, type PhotoSearch } from '../../search/photo-search-port';
import { transformPhoto } from '../../bench/photo-transforms';
import { productImageJpeg } from '../../standins/images';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedProducts } from './serve';

const TOKEN = 'engine-token-0123456789abcdef';
let db: TestDatabase;
let engine: ReturnType<typeof createLocalPhotoSearch>;
let server: Awaited<ReturnType<typeof startPhotoEngineServer>>;
let client: PhotoSearch;
let products: Awaited<ReturnType<typeof seedProducts>>;

// The API process's engine (models loaded once) served over loopback; the worker and the bot hold only the client.
beforeAll(async () => {
  db = await createTestDatabase();
  products = (await seedProducts(db.prisma)).filter((p) => p.available).slice(0, 4);
  engine = createLocalPhotoSearch(db.prisma, { workers: 1, refreshMs: 0 });
  await engine.ready(); // the models load in seconds, longer on a busy machine: not this suite's subject
  server = await startPhotoEngineServer(engine, { host: '127.0.0.1', port: 0, token: TOKEN });
  client = createPhotoEngineClient({ url: `http://127.0.0.1:${server.port}`, token: TOKEN });
  for (const p of products) await client.index(p.id, `k-${p.externalId}`, await productImageJpeg(p.externalId, 1));
}, 120_000);
afterAll(async () => {
  await server?.close();
  await engine?.close();
  await db?.drop();
});

describe('the photo engine served by the API process', () => {
  test('photos indexed through the client are searchable at once, in the serving process and through the client', async () => {
    expect(engine.size).toBe(products.length);
    const target = products[1];
    const query = await transformPhoto(await productImageJpeg(target.externalId, 1), 'crop', 1);
    const answer = await client.search(query);
    expect(answer.exact[0]).toMatchObject({ productId: target.externalId, id: target.id });
    expect((await engine.search(query)).exact[0].id).toBe(target.id);
  });

  test('a photo the engine refuses comes back as the same InvalidPhotoError', async () => {
    const broken = (await productImageJpeg(products[0].externalId, 1)).subarray(0, 600);
    await expect(client.search(broken)).rejects.toMatchObject({ code: 'photo_corrupt' });
    await expect(client.index(products[0].id, 'broken', broken)).rejects.toBeInstanceOf(InvalidPhotoError);
    await expect(client.search(Buffer.from('not a photo'))).rejects.toMatchObject({ code: 'photo_type' });
  });

  test('removal and outdated products go through the client', async () => {
    expect(await client.outdated!()).toEqual([]);
    await client.remove(products[3].id);
    expect(engine.size).toBe(products.length - 1);
    await expect(client.remove(0)).rejects.toMatchObject({ response: { statusCode: 400 } });
  });

  test('a call without the token is refused before any work', async () => {
    const stranger = createPhotoEngineClient({
      url: `http://127.0.0.1:${server.port}`,
      token: 'wrong-token-0123456789',
    });
    await expect(stranger.outdated!()).rejects.toMatchObject({ response: { statusCode: 401 } });
    await expect(stranger.index(products[0].id, 'x', Buffer.alloc(10))).rejects.toMatchObject({
      response: { statusCode: 401 },
    });
  });

  test('while the engine is down a call fails with a connection error (an activity retries it), not a crash', async () => {
    const down = await startPhotoEngineServer(engine, { host: '127.0.0.1', port: 0 });
    const { port } = down;
    await down.close();
    const early = createPhotoEngineClient({ url: `http://127.0.0.1:${port}` });
    await expect(early.index(products[0].id, 'k', Buffer.alloc(10))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
