import { randomBytes } from 'node:crypto';
import { dropDatabase, withDatabase } from '../../db/admin';
import { createPrisma, type PrismaClient } from '../../db/client';
import { applyMigrations } from '../../db/migrate';

export type TestDatabase = { url: string; prisma: PrismaClient; drop(): Promise<void> };

/** Admin connection chosen by test/global-setup.ts. */
export function testAdminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is not set: run tests through jest (test/global-setup.ts sets it)');
  return url;
}

/** A fresh uniquely named database with all migrations applied. Call drop() in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = withDatabase(testAdminUrl(), `cvety_test_${process.pid}_${randomBytes(4).toString('hex')}`);
  await applyMigrations(url);
  const prisma = createPrisma(url);
  return {
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await dropDatabase(url);
    },
  };
}
