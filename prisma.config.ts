import { defineConfig } from 'prisma/config';

// Only `prisma generate` reads this file; migrations are applied by db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/cvety' },
});
