import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma } from '../../db/client';
import { startEmbeddedPostgres, type RunningPostgres } from '../../db/embedded';
import { packagedBinaries } from '../../db/embedded-access';
import { applyMigrations } from '../../db/migrate';
import { isPortOpen } from '../../scripts/lib/wait';
import { freePort } from '../support/test-postgres';

/**
 * A first run as a newcomer makes it: root, with the clone in a folder only root can enter (mkdtemp makes 0700
 * folders, like root's home). Embedded PostgreSQL must still work there, and a start that fails must stop
 * everything it had started.
 */
const ROOT = path.resolve(__dirname, '../..');
const isRoot = process.getuid?.() === 0;
const closedDirs: string[] = [];
const closedDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  closedDirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of closedDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL in a folder only root can enter', () => {
  let server: RunningPostgres | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('runs from binaries and data the postgres user cannot reach, keeps data across restarts, and starts afresh once .data is deleted', async () => {
    const clone = closedDir('cvety-clone-');
    expect(fs.statSync(clone).mode & 0o777).toBe(0o700);
    const binaries = path.join(clone, 'node_modules', 'pg-native');
    fs.cpSync(packagedBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
    // Stands for /var/lib/cvety-orders: a folder every user may enter.
    const sharedDir = path.join(closedDir('cvety-shared-'), 'var-lib');
    fs.chmodSync(path.dirname(sharedDir), 0o755);
    const dataDir = path.join(clone, '.data', 'postgres');
    const port = await freePort();
    const start = () => startEmbeddedPostgres({ dataDir, port, binaries, sharedDir });

    server = await start();
    if (isRoot) {
      expect(server.note).toMatch(/binaries copied to .*; data kept in /);
      expect(fs.lstatSync(dataDir).isSymbolicLink()).toBe(true);
    }
    await applyMigrations(server.url);
    let prisma = createPrisma(server.url);
    await prisma.customer.create({ data: { phone: '+77019998877', name: 'Dana' } });
    await prisma.$disconnect();
    await server.stop();

    server = await start();
    prisma = createPrisma(server.url);
    try {
      expect(await prisma.customer.findMany({ select: { name: true } })).toEqual([{ name: 'Dana' }]);
    } finally {
      await prisma.$disconnect();
    }
    await server.stop();

    fs.rmSync(path.join(clone, '.data'), { recursive: true, force: true });
    server = await start();
    expect((await applyMigrations(server.url)).applied.length).toBeGreaterThan(0);
  }, 120_000);
});

test('a start that fails stops the Temporal dev server it had started, and says why', async () => {
  // PostgreSQL binaries that cannot be executed: initdb fails to spawn (EACCES) after Temporal is up.
  // Both folders open to the postgres user, so nothing is copied or relocated to /var/lib by this test.
  const binaries = path.join(closedDir('cvety-broken-'), 'pg');
  fs.chmodSync(path.dirname(binaries), 0o755);
  fs.cpSync(packagedBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(path.join(binaries, 'bin', 'initdb'), 0o644);
  const dataDir = closedDir('cvety-data-');
  fs.chmodSync(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir };
  env.EMBEDDED_PG_BINARIES = binaries;
  for (const name of ['API_PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'EMBEDDED_PG_PORT'])
    env[name] = String(await freePort());
  for (const name of ['STANDIN_PRODUCTION_PORT', 'STANDIN_TELEGRAM_PORT', 'STANDIN_S3_PORT'])
    env[name] = String(await freePort());

  const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env });
  let output = '';
  start.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => start.once('exit', resolve));

  expect(output).toContain('starting the Temporal dev server');
  expect(output).toMatch(/failed: .*initdb could not start: .*EACCES/);
  expect(output).toContain('stopping temporal');
  expect(code).toBe(1);
  expect(await isPortOpen(Number(env.TEMPORAL_PORT))).toBe(false);
  expect(processesMentioning(dataDir)).toEqual([]);
}, 120_000);

/** Live processes whose command line names `text` (the dev server names its database file). */
function processesMentioning(text: string): string[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        return '';
      }
    })
    .filter((cmdline) => cmdline.includes(text));
}
