import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { seedCatalog } from '../../standins/catalog';
import { toProductRow } from '../../activities/catalog-mapping';
import { errorHandler } from '../../api/errors';
import { createLogger } from '../../common/logging';
import type { PrismaClient } from '../../db/client';

/** Mounts one router on a loopback HTTP server, with the API's error handler. */
export async function serve(path: string, router: Router): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(path, router);
  app.use(errorHandler(createLogger('test', { level: 'silent' })));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The stand-in's seed catalog as rows of our read model (ids assigned by the database). */
export async function seedProducts(prisma: PrismaClient, imageOrigin = 'http://127.0.0.1:4010') {
  const seed = seedCatalog(imageOrigin);
  for (const p of seed) {
    await prisma.product.create({
      data: {
        ...toProductRow(p),
        photos: { create: p.images.map((sourceUrl, i) => ({ position: i + 1, sourceUrl })) },
      },
    });
  }
  return prisma.product.findMany({ orderBy: { id: 'asc' } });
}
