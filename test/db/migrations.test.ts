import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dropDatabase, withDatabase } from '../../db/admin';
import { MIGRATIONS_DIR, applyMigrations, createMigration, diffMigrationsToSchema } from '../../db/migrate';
import { testAdminUrl } from '../support/database';

const migrationNames = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('applyMigrations', () => {
  const url = withDatabase(testAdminUrl(), `cvety_test_migrate_${process.pid}_${Date.now()}`);
  afterAll(() => dropDatabase(url));

  it('creates the database, applies every migration once, then nothing', async () => {
    const first = await applyMigrations(url);
    expect(first.applied).toEqual(migrationNames);
    expect(migrationNames.length).toBeGreaterThan(0);

    const second = await applyMigrations(url);
    expect(second.applied).toEqual([]);
  });

  it('keeps _prisma_migrations as prisma migrate deploy does', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
      for (const row of rows) {
        const sql = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
        expect(row.logs).toBeNull();
      }
      const tables = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows.map((r) => r.tablename)).toEqual(
        expect.arrayContaining([
          'Product',
          'ProductPhoto',
          'Customer',
          'Order',
          'OrderItem',
          'Payment',
          'WebhookEvent',
        ]),
      );
    } finally {
      await client.end();
    }
  });

  it('has a migration for everything in schema.prisma (diff against a shadow database is empty)', async () => {
    expect(await diffMigrationsToSchema(testAdminUrl())).toBe('');
  });
});

describe('createMigration', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cvety-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <timestamp>_<name>/migration.sql and a lock file, then nothing once in sync', async () => {
    const created = await createMigration('first', testAdminUrl(), dir);
    expect(created).toMatch(/\/\d{14}_first$/);
    const sql = readFileSync(path.join(created!, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "Order"');
    expect(sql).toContain('CREATE UNIQUE INDEX "WebhookEvent_source_eventKey_key"');
    expect(readFileSync(path.join(dir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');

    expect(await createMigration('second', testAdminUrl(), dir)).toBeNull();
    expect(readdirSync(dir).sort()).toEqual([path.basename(created!), 'migration_lock.toml']);
  });
});
