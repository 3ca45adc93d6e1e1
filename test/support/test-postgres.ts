import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { canConnect } from '../../db/admin';
import { startEmbeddedPostgres } from '../../db/embedded';

/** Where tests create their databases: a PostgreSQL server and a role that may CREATE DATABASE. */
export type TestPostgres = { adminUrl: string; source: 'env' | 'local' | 'embedded'; stop(): Promise<void> };

export const LOCAL_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** TEST_DATABASE_URL if set; else the local server on 5432; else an embedded server in a temp dir. */
export async function chooseTestPostgres(
  env: NodeJS.ProcessEnv = process.env,
  localUrl = LOCAL_ADMIN_URL,
): Promise<TestPostgres> {
  const noop = async () => {};
  if (env.TEST_DATABASE_URL) return { adminUrl: env.TEST_DATABASE_URL, source: 'env', stop: noop };
  if (await canConnect(localUrl)) return { adminUrl: localUrl, source: 'local', stop: noop };
  const dir = await tempDirForPostgres();
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    database: 'postgres',
  });
  return {
    adminUrl: server.url,
    source: 'embedded',
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A temp dir the `postgres` system user can enter when we run as root (mkdtemp makes it 0700). */
export async function tempDirForPostgres(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cvety-pg-'));
  await chmod(dir, 0o755);
  return dir;
}

/**
 * A free port for a child process to bind later. Drawn below the kernel's ephemeral range
 * (32768-60999 on Linux): a port from `listen(0)` could be handed to another test's listener or
 * outgoing connection before the child binds it (a CI failure: the dev server's UI port taken).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
