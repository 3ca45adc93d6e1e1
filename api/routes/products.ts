import { Router } from 'express';
import { z } from 'zod';
import type { PrismaClient } from '../../db/client';
import { createTextSearch } from '../../search/text-search';
import { HttpError, parseOrThrow } from '../errors';
import { MAX_INT4, text } from '../order-request';

/** Every number range-checked (prices in tenge, up to 10 million); unknown parameters are refused by name. */
const listQuery = z.strictObject({
  search: text(200).trim().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  minPrice: z.coerce.number().min(0).max(10_000_000).optional(),
  maxPrice: z.coerce.number().min(0).max(10_000_000).optional(),
});

const tengeToKopecks = (tenge: number | undefined) => (tenge === undefined ? undefined : Math.round(tenge * 100));

type ProductWithPhotos = {
  id: number;
  externalId: number;
  title: string;
  priceKopecks: number;
  available: boolean;
  type: string;
  composition: string | null;
  height: string | null;
  width: string | null;
  discountPct: number;
  photos: { position: number; sourceUrl: string; publicUrl: string | null }[];
};

export const productView = (p: ProductWithPhotos) => ({
  id: p.id,
  externalId: p.externalId,
  title: p.title,
  priceKopecks: p.priceKopecks,
  available: p.available,
  type: p.type,
  composition: p.composition,
  height: p.height,
  width: p.width,
  discountPct: p.discountPct,
  images: [...p.photos].sort((a, b) => a.position - b.position).map((ph) => ph.publicUrl ?? ph.sourceUrl),
});

/** The catalog read model (filled by the catalog sync). */
export function productRoutes({ prisma }: { prisma: PrismaClient }): Router {
  const router = Router();
  const textSearch = createTextSearch(prisma);
  router.get('/', async (req, res) => {
    const { search, limit, offset, minPrice, maxPrice } = parseOrThrow(listQuery, req.query);
    const minPriceKopecks = tengeToKopecks(minPrice);
    const maxPriceKopecks = tengeToKopecks(maxPrice);
    if (search) {
      const page = await textSearch.search({ search, limit, offset, minPriceKopecks, maxPriceKopecks });
      const found = await prisma.product.findMany({ where: { id: { in: page.ids } }, include: { photos: true } });
      const byId = new Map(found.map((p) => [p.id, p]));
      const items = page.ids.flatMap((id) => (byId.has(id) ? [productView(byId.get(id)!)] : []));
      res.json({ items, total: page.total });
      return;
    }
    const where = { priceKopecks: { gte: minPriceKopecks, lte: maxPriceKopecks } };
    const [items, total] = await Promise.all([
      prisma.product.findMany({
        where,
        include: { photos: true },
        orderBy: [{ available: 'desc' }, { id: 'asc' }],
        take: limit,
        skip: offset,
      }),
      prisma.product.count({ where }),
    ]);
    res.json({ items: items.map(productView), total });
  });
  router.get('/:id', async (req, res) => {
    const id = /^\d{1,10}$/.test(String(req.params.id)) ? Number(req.params.id) : 0;
    if (id < 1 || id > MAX_INT4)
      throw new HttpError(400, 'invalid_request', `id: a whole number from 1 to ${MAX_INT4}`);
    const product = await prisma.product.findUnique({ where: { id }, include: { photos: true } });
    if (!product) throw new HttpError(404, 'not_found', `No product ${id}`);
    res.json(productView(product));
  });
  return router;
}
