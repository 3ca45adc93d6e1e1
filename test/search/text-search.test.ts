import got from 'got';
import { productRoutes } from '../../api/routes/products';
import { createTextSearch } from '../../search/text-search';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedProducts, serve } from './serve';

type Item = { id: number; title: string; priceKopecks: number; available: boolean; images: string[] };
type Page = { items: Item[]; total: number };

let db: TestDatabase;
let server: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedProducts(db.prisma);
  server = await serve('/api/v1/products', productRoutes({ prisma: db.prisma }));
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const list = async (query: Record<string, string | number>): Promise<Page> =>
  got(`${server.url}/api/v1/products`, { searchParams: query, retry: { limit: 0 } }).json<Page>();
const titles = (page: Page) => page.items.map((i) => i.title);

describe('GET /api/v1/products?search=', () => {
  test.each(['роза', 'розы', 'роз', 'розами', 'Розы'])('Russian stemming: "%s" finds the roses', async (search) => {
    const page = await list({ search, limit: 100 });
    expect(titles(page)).toEqual(expect.arrayContaining(['101 красная роза', 'Розы Эквадор 60 см', 'Нежность']));
    expect(titles(page)).not.toContain('Ромашки полевые');
  });

  test('a typo still finds the product ("эустамы")', async () => {
    expect(titles(await list({ search: 'эустамы' }))).toContain('Эустомы в пачке');
  });

  test.each([
    ['roza', '101 красная роза'],
    ['pion', 'Пионы Сара Бернар'],
    ['piony', 'Пионы Ред Шарм'],
    ['romashki', 'Ромашки полевые'],
  ])('Latin "%s" is read as Cyrillic', async (search, title) => {
    expect(titles(await list({ search, limit: 100 }))).toContain(title);
  });

  test.each([
    ['қызғалдақтар', 'тюльпан'],
    ['tulips', 'тюльпан'],
    ['peony', 'пион'],
    ['ақ раушан', 'бел'],
    ['red roses', 'красн'],
  ])('a Kazakh or English flower name "%s" finds the Russian catalog word', async (search, word) => {
    const found = titles(await list({ search, limit: 100 })).map((t) => t.toLowerCase());
    expect(found.some((t) => t.includes(word))).toBe(true);
    expect(found.length).toBeLessThan((await list({ limit: 1 })).total); // not everything
  });

  test('Kazakh words of the catalog match, by prefix too', async () => {
    expect(titles(await list({ search: 'раушан' }))).toContain('Ақ раушандар — белые розы 51 шт');
    expect(titles(await list({ search: 'гүл' }))).toContain('Гүл шоғы «Анашым»');
    expect(titles(await list({ search: 'мұғалімге' }))).toEqual(['Мұғалімге — букет для учителя']);
  });

  test('available products come first; total counts every match', async () => {
    const page = await list({ search: 'розы', limit: 100 });
    expect(page.total).toBe(page.items.length);
    const firstUnavailable = page.items.findIndex((i) => !i.available);
    expect(firstUnavailable).toBeGreaterThan(0); // "Лаванда и розы" is unavailable in the seed
    expect(page.items.slice(firstUnavailable).every((i) => !i.available)).toBe(true);
    const second = await list({ search: 'розы', limit: 2, offset: 2 });
    expect(second.total).toBe(page.total);
    expect(titles(second)).toEqual(titles(page).slice(2, 4));
  });

  test('price filters are in tenge, with and without a search', async () => {
    const page = await list({ search: 'роза', minPrice: 30000, maxPrice: 50000, limit: 100 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((i) => i.priceKopecks >= 3_000_000 && i.priceKopecks <= 5_000_000)).toBe(true);
    const cheap = await list({ maxPrice: 5000, limit: 100 });
    expect(titles(cheap).sort()).toEqual(['Букет «Комплимент»', 'Свадебная бутоньерка']);
  });

  test('nothing matches nonsense; a bad price is a 400', async () => {
    expect(await list({ search: 'трактор' })).toEqual({ items: [], total: 0 });
    const bad = await got(`${server.url}/api/v1/products?minPrice=-5`, { throwHttpErrors: false });
    expect(bad.statusCode).toBe(400);
  });

  test('without pg_trgm the search still answers, with a warning and no typo tolerance', async () => {
    await db.prisma.$executeRawUnsafe('DROP EXTENSION pg_trgm CASCADE');
    const warn = jest.fn();
    const search = createTextSearch(db.prisma, warn);
    expect((await search.search({ search: 'розами', limit: 10, offset: 0 })).total).toBeGreaterThan(3);
    expect((await search.search({ search: 'эустамы', limit: 10, offset: 0 })).total).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('pg_trgm'));
  });
});
