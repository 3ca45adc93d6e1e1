import type { Prisma, PrismaClient } from '../db/client';

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

export interface CatalogReader {
  /** The `index`-th available product (0-based), with how many there are. */
  page(index: number): Promise<CatalogPage>;
  /** The same over the products whose title or composition matches every word of `query`. */
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

/** "Розы" should find "роз" and "роза": drop one inflected ending from longer words. */
export function searchStems(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2)
    .slice(0, 5)
    .map((w) => (w.length > 3 ? w.replace(/[аяыиуюоеьй]$/u, '') : w));
}

/** Reads the catalog read model that the catalog sync fills. */
export function createCatalogReader(prisma: PrismaClient): CatalogReader {
  async function pageWhere(where: Prisma.ProductWhereInput, index: number): Promise<CatalogPage> {
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

  return {
    page: (index) => pageWhere({ available: true }, index),
    search(query, index) {
      const words = searchStems(query).map((stem) => ({
        OR: [
          { title: { contains: stem, mode: 'insensitive' as const } },
          { composition: { contains: stem, mode: 'insensitive' as const } },
        ],
      }));
      if (words.length === 0) return Promise.resolve({ card: null, index: 0, total: 0 });
      return pageWhere({ available: true, AND: words }, index);
    },
    async byExternalId(externalId) {
      const row = await prisma.product.findUnique({ where: { externalId }, include: withFirstPhoto });
      return row ? toCard(row) : null;
    },
    async byId(id) {
      const row = await prisma.product.findUnique({ where: { id }, include: withFirstPhoto });
      return row ? toCard(row) : null;
    },
  };
}
