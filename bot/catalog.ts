import type { Prisma, PrismaClient } from '../db/client';
import { createTextSearch, type TextSearch } from '../search/text-search';

/** A product as the bot shows it: plain data, safe to keep in a conversation's replay log. */
export interface ProductCard {
  id: number;
  externalId: number;
  title: string;
  priceKopecks: number;
  available: boolean;
  composition: string | null;
  height: string | null;
  width: string | null;
  photoUrl: string | null;
}

export interface CatalogPage {
  card: ProductCard | null;
  index: number;
  total: number;
}

/** Which available products a list shows: words (a search or a flower category) and a price range. */
export interface CatalogFilter {
  query?: string;
  minKopecks?: number;
  maxKopecks?: number;
}

export interface CatalogReader {
  /** The `index`-th available product (0-based) that passes the filter, with how many there are. */
  page(index: number, filter?: CatalogFilter): Promise<CatalogPage>;
  /** The same over the products matching `query` (the shared text search: stems, typos, Latin, Kazakh names). */
  search(query: string, index: number): Promise<CatalogPage>;
  byExternalId(externalId: number): Promise<ProductCard | null>;
  byId(id: number): Promise<ProductCard | null>;
}

const withFirstPhoto = { photos: { orderBy: { position: 'asc' }, take: 1 } } satisfies Prisma.ProductInclude;
type Row = Prisma.ProductGetPayload<{ include: typeof withFirstPhoto }>;

function toCard(row: Row): ProductCard {
  const photo = row.photos[0];
  return {
    id: row.id,
    externalId: row.externalId,
    title: row.title,
    priceKopecks: row.priceKopecks,
    available: row.available,
    composition: row.composition,
    height: row.height,
    width: row.width,
    // Our copy when the sync has stored one, else the shop's own URL.
    photoUrl: photo?.publicUrl ?? photo?.sourceUrl ?? null,
  };
}

/** Reads the catalog read model that the catalog sync fills. */
export function createCatalogReader(prisma: PrismaClient, textSearch: TextSearch = createTextSearch(prisma)) {
  const byId = async (id: number) => {
    const row = await prisma.product.findUnique({ where: { id }, include: withFirstPhoto });
    return row ? toCard(row) : null;
  };

  async function listed(index: number, filter: CatalogFilter): Promise<CatalogPage> {
    const where: Prisma.ProductWhereInput = {
      available: true,
      priceKopecks: { gte: filter.minKopecks, lte: filter.maxKopecks },
    };
    const total = await prisma.product.count({ where });
    if (total === 0) return { card: null, index: 0, total };
    const at = Math.min(Math.max(0, index), total - 1);
    const [row] = await prisma.product.findMany({
      where,
      orderBy: { id: 'asc' },
      skip: at,
      take: 1,
      include: withFirstPhoto,
    });
    return { card: row ? toCard(row) : null, index: at, total };
  }

  async function searched(index: number, filter: CatalogFilter & { query: string }): Promise<CatalogPage> {
    const ask = (offset: number) =>
      textSearch.search({
        search: filter.query,
        limit: 1,
        offset,
        minPriceKopecks: filter.minKopecks,
        maxPriceKopecks: filter.maxKopecks,
        availableOnly: true,
      });
    let at = Math.max(0, index);
    let found = await ask(at);
    if (found.total === 0) return { card: null, index: 0, total: 0 };
    if (found.ids.length === 0) found = await ask((at = found.total - 1));
    return { card: found.ids[0] === undefined ? null : await byId(found.ids[0]), index: at, total: found.total };
  }

  const reader: CatalogReader = {
    page: (index, filter = {}) =>
      filter.query ? searched(index, { ...filter, query: filter.query }) : listed(index, filter),
    search: (query, index) => searched(index, { query }),
    async byExternalId(externalId) {
      const row = await prisma.product.findUnique({ where: { externalId }, include: withFirstPhoto });
      return row ? toCard(row) : null;
    },
    byId,
  };
  return reader;
}
