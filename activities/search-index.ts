import { Context } from '@temporalio/activity';
import type { PrismaClient } from '../db/client';
import { noopPhotoIndex, type PhotoIndex } from '../search/photo-index-port';
import type { PhotoStorage } from './photo-storage';

/**
 * Keeps the photo search in step with the catalog through the `PhotoIndex` port: products with new or changed
 * stored photos are re-indexed whole (remove, then index each photo), unavailable products leave the index.
 * `ProductPhoto.indexedAt` is the bookkeeping, so a crashed run simply continues.
 */
export interface SearchIndexDeps {
  prisma: PrismaClient;
  photoStorage?: PhotoStorage;
  photoIndex?: PhotoIndex;
}

const PRODUCTS_PER_BATCH = 50;

export function createSearchIndexActivities({ prisma, photoStorage, photoIndex = noopPhotoIndex }: SearchIndexDeps) {
  return {
    async indexPhotos(input: { productIds?: number[] } = {}): Promise<{ products: number; photos: number }> {
      // The no-op port indexes nothing; photos stay unmarked so the real index, once plugged in, gets them all.
      if (photoIndex === noopPhotoIndex) return { products: 0, photos: 0 };
      if (!photoStorage) throw new Error('photo storage is not configured (S3_*)');
      const ctx = Context.current();
      // Features the engine lost (a new recipe after an upgrade) are indexed again like new photos.
      const outdated = (await photoIndex.outdated?.()) ?? [];
      if (outdated.length) {
        await prisma.productPhoto.updateMany({ where: { productId: { in: outdated } }, data: { indexedAt: null } });
      }
      const done = { products: 0, photos: 0, cursor: 0, ...(ctx.info.heartbeatDetails as object | undefined) };
      for (;;) {
        const products = await prisma.product.findMany({
          where: {
            id: { gt: done.cursor, ...(input.productIds ? { in: input.productIds } : {}) },
            available: true,
            photos: { some: { storageKey: { not: null }, indexedAt: null } },
          },
          orderBy: { id: 'asc' },
          take: PRODUCTS_PER_BATCH,
          select: {
            id: true,
            photos: { where: { storageKey: { not: null } }, select: { id: true, storageKey: true } },
          },
        });
        if (!products.length) break;
        for (const product of products) {
          await photoIndex.remove(product.id);
          for (const photo of product.photos) {
            await photoIndex.index(product.id, photo.storageKey!, await photoStorage.get(photo.storageKey!));
          }
          await prisma.productPhoto.updateMany({
            where: { id: { in: product.photos.map((p) => p.id) } },
            data: { indexedAt: new Date() },
          });
          done.products++;
          done.photos += product.photos.length;
          done.cursor = product.id;
          ctx.heartbeat(done);
        }
      }
      return { products: done.products, photos: done.photos };
    },

    async removeFromIndex(input: { productIds?: number[] } = {}): Promise<{ products: number }> {
      const gone = await prisma.product.findMany({
        where: {
          available: false,
          photos: { some: { indexedAt: { not: null } } },
          ...(input.productIds ? { id: { in: input.productIds } } : {}),
        },
        select: { id: true },
      });
      for (const { id } of gone) {
        await photoIndex.remove(id);
        await prisma.productPhoto.updateMany({ where: { productId: id }, data: { indexedAt: null } });
        Context.current().heartbeat();
      }
      return { products: gone.length };
    },
  };
}
