import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createPrisma } from '../../db/client';
import { startEmbeddedPostgres, type RunningPostgres } from '../../db/embedded';
import { applyMigrations } from '../../db/migrate';
import { freePort, tempDirForPostgres } from '../support/test-postgres';

describe('embedded PostgreSQL', () => {
  let dir: string;
  let server: RunningPostgres | undefined;
  beforeAll(async () => {
    dir = await tempDirForPostgres();
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts, takes migrations, and keeps data across a stop and restart on the same data dir', async () => {
    const dataDir = path.join(dir, 'data');
    const port = await freePort();

    let started = Date.now();
    server = await startEmbeddedPostgres({ dataDir, port });
    const firstStartMs = Date.now() - started;
    expect(server.url).toBe(`postgresql://postgres:cvety-local@127.0.0.1:${port}/cvety`);
    expect((await applyMigrations(server.url)).applied.length).toBeGreaterThan(0);

    let prisma = createPrisma(server.url);
    await prisma.customer.create({ data: { phone: '+77019998877', name: 'Dana' } });
    await prisma.$disconnect();
    await server.stop();
    server = undefined;

    started = Date.now();
    server = await startEmbeddedPostgres({ dataDir, port });
    const restartMs = Date.now() - started;
    expect((await applyMigrations(server.url)).applied).toEqual([]);
    prisma = createPrisma(server.url);
    try {
      expect(await prisma.customer.findMany({ select: { name: true } })).toEqual([{ name: 'Dana' }]);
    } finally {
      await prisma.$disconnect();
    }
    console.log(`embedded PostgreSQL: first start (initdb) ${firstStartMs} ms, restart ${restartMs} ms`);
  });
});
