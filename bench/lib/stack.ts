/**
 * The whole stack as separate OS processes, the way `npm start` runs it (scripts/lib/*): the Temporal dev server
 * with its SQLite file, embedded PostgreSQL, the stand-ins, the worker and the API, in a temp data folder on ports
 * of their own, so a benchmark runs beside anyone's `npm start`. Samples the memory and CPU of those processes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { applyMigrations } from '../../db/migrate';
import { LOCAL_PORT_NAMES, planRun, type RunPlan } from '../../scripts/lib/local-env';
import { startLocalPostgres } from '../../scripts/lib/local-postgres';
import { nodeArgs, startProcess, tail, type ManagedProcess } from '../../scripts/lib/processes';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import { answers200, isPortOpen, waitUntil } from '../../scripts/lib/wait';
import { freePort } from '../../test/support/test-postgres';
import { WORKER_ENTRY, WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../workers/process-settings';

const ROOT = path.resolve(__dirname, '../..');
/** A trusted caller: the benchmark measures the pipeline, not the public rate limits. */
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdef0123456789';
const BUNDLE_SCRIPT = 'scripts/build-workflow-bundle.ts';
const log = (line: string) => console.error(`[stack] ${line}`);

export interface Stack {
  plan: RunPlan;
  apiUrl: string;
  /** The production stand-in's origin (its control routes are under /__control). */
  productionUrl: string;
  telegramUrl: string;
  dataDir: string;
  processes: { temporal: ManagedProcess; worker: ManagedProcess; api: ManagedProcess; standins: ManagedProcess };
  /** The node flags the worker was started with. */
  workerNodeFlags: readonly string[];
  stop(): Promise<void>;
}

/** Starts every process; `env` overrides the children's environment (e.g. WORKER_MAX_CACHED_WORKFLOWS). */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-bench-'));
  fs.chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
  const ports: Record<string, string> = {};
  for (const name of LOCAL_PORT_NAMES) ports[name] = String(await freePort());
  // Every order goes to a handful of slots: their capacity is not what is measured.
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: 'warn',
    SLOT_CAPACITY: '99999',
  };
  // The orders worker as its own deployment (docs/operations.md): the catalog sync would index photos meanwhile.
  const tuning = { WORKER_QUEUES: 'orders', ...passedThrough() };
  const plan = planRun(dataDir, { ...base, API_KEYS: BENCH_API_KEY, ...ports, ...tuning, ...env });
  const started: { stop(): Promise<void>; name: string }[] = [];
  const stop = async () => {
    for (const resource of started.reverse()) await resource.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  // As in production (Dockerfile): the worker loads a bundle built ahead of time instead of running webpack itself.
  plan.env.WORKFLOW_BUNDLE = path.join(dataDir, 'workflow-bundle.js');
  const bundled = promisify(execFile)(process.execPath, nodeArgs(BUNDLE_SCRIPT).concat(plan.env.WORKFLOW_BUNDLE), {
    cwd: ROOT,
  });
  bundled.catch(() => undefined); // awaited before the worker starts
  try {
    log(`Temporal dev server, PostgreSQL and the stand-ins in ${dataDir}`);
    const temporal = await startTemporalDevServer({
      port: plan.ports.temporal,
      uiPort: plan.ports.temporalUi,
      namespace: plan.env.TEMPORAL_NAMESPACE ?? 'default',
      dbFile: path.join(dataDir, 'temporal.db'),
      logFile: path.join(dataDir, 'temporal.log'),
      cwd: ROOT,
    });
    started.push(temporal);
    const pg = await startLocalPostgres(path.join(dataDir, 'postgres'), plan.ports.postgres, log);
    started.push(pg);
    plan.env.DATABASE_URL = pg.url;
    await applyMigrations(pg.url);
    plan.env.STANDIN_S3_DIR = path.join(dataDir, 's3');
    const standins = child('standins', 'standins/main.ts', plan, dataDir);
    started.push(standins);
    for (const port of [plan.ports.production, plan.ports.telegram, plan.ports.s3])
      await waitUntil(`stand-in on port ${port}`, () => isPortOpen(port), { timeoutMs: 30_000 });
    await bundled;
    const worker = child('worker', WORKER_ENTRY, plan, dataDir, workerNodeFlags(), WORKER_PROCESS_ENV);
    started.push(worker);
    const api = child('api', 'api/main.ts', plan, dataDir);
    started.push(api);
    const ready = async (what: string, url: string, proc: ManagedProcess) =>
      waitUntil(what, () => answers200(url), {
        timeoutMs: 180_000,
        intervalMs: 500,
        failFast: () => (proc.hasExited() ? `exited:\n${tail(path.join(dataDir, `${proc.name}.log`))}` : undefined),
      });
    await ready('the API', `http://127.0.0.1:${plan.ports.api}/health`, api);
    await ready('the worker', `http://127.0.0.1:${plan.env.WORKER_HTTP_PORT}/health`, worker);
    // The API loads the photo models in the background after /health: measure the orders, not that start.
    await settle([temporal, worker, api, standins].map((p) => p.pid));
    log('stack is up and idle');
    return {
      plan,
      apiUrl: `http://127.0.0.1:${plan.ports.api}`,
      productionUrl: `http://127.0.0.1:${plan.ports.production}`,
      telegramUrl: `http://127.0.0.1:${plan.ports.telegram}`,
      dataDir,
      processes: { temporal, worker, api, standins },
      workerNodeFlags: workerNodeFlags(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Settings a run may vary from the command line (the tuning compared in bench/README.md). */
const TUNABLE = [
  'WORKER_QUEUES',
  'WORKER_MAX_CACHED_WORKFLOWS',
  'WORKER_MAX_WORKFLOW_TASKS',
  'WORKER_MAX_ACTIVITIES',
  'KASPI_POLL_EVERY',
  'MALLOC_ARENA_MAX',
];
const passedThrough = () =>
  Object.fromEntries(TUNABLE.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));

/** The worker's node flags as shipped, or BENCH_WORKER_NODE_FLAGS (space-separated; `none` for V8's defaults). */
const workerNodeFlags = (): readonly string[] => {
  const given = process.env.BENCH_WORKER_NODE_FLAGS?.trim();
  if (!given) return WORKER_NODE_FLAGS;
  return given === 'none' ? [] : given.split(/\s+/);
};

function child(
  name: string,
  entry: string,
  plan: RunPlan,
  dataDir: string,
  nodeFlags: readonly string[] = [],
  defaults: Readonly<Record<string, string>> = {},
): ManagedProcess {
  // On node with tsx's loader (as scripts/start.ts does), so the pid is the service itself.
  // BENCH_CPU_PROF_DIR: each process writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
    : [];
  return startProcess(name, process.execPath, nodeArgs(entry, [...profile, ...nodeFlags]), {
    cwd: ROOT,
    env: { ...defaults, ...plan.env },
    logFile: path.join(dataDir, `${name}.log`),
  });
}

/** Waits (up to 2 minutes) until these processes together use less than a tenth of a core for a second. */
async function settle(pids: (number | undefined)[]): Promise<void> {
  const used = (): number => pids.reduce<number>((sum, pid) => sum + cpuSecondsOf(pid), 0);
  for (let tries = 0, last = used(); tries < 120; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = used();
    if (now - last < 0.1) return;
    last = now;
  }
  log('the stack did not settle within 2 minutes; measuring anyway');
}

/** Resident memory of a process in bytes (0 once it has gone). */
export function rssOf(pid: number | undefined): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number | undefined): number {
  const ticks = statTicks(pid);
  return ticks ? ticks.own / 100 : 0; // USER_HZ is 100 on Linux
}

/** Parent, own CPU ticks (utime + stime) and reaped children's (cutime + cstime) of a process, if it is there. */
function statTicks(pid: number | string | undefined): { ppid: number; own: number; reaped: number } | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').map(Number);
    return { ppid: fields[1], own: fields[11] + fields[12], reaped: fields[13] + fields[14] };
  } catch {
    return undefined;
  }
}

/** Peak RSS of each named process, sampled every `everyMs` until stopped. */
export function sampleMemory(processes: Record<string, ManagedProcess>, everyMs = 250) {
  const peaks: Record<string, number> = Object.fromEntries(Object.keys(processes).map((name) => [name, 0]));
  const sample = () => {
    for (const [name, proc] of Object.entries(processes)) peaks[name] = Math.max(peaks[name], rssOf(proc.pid));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop(): Record<string, number> {
      clearInterval(timer);
      sample();
      return Object.fromEntries(Object.entries(peaks).map(([name, bytes]) => [name, mb(bytes)]));
    },
  };
}

export const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** The 1-, 5- and 15-minute load averages: other work on the machine skews every figure. */
export const loadAverage = () => os.loadavg().map((load) => Math.round(load * 100) / 100);

/** CPU seconds of a process and all its descendants, living and reaped (PostgreSQL's backends, say). */
export function cpuSecondsOfTree(root: number | undefined): number {
  const stats = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      const ticks = statTicks(pid);
      return ticks ? [{ pid: Number(pid), ...ticks }] : [];
    });
  let total = 0;
  const walk = (pid: number, isRoot: boolean) => {
    for (const s of stats) {
      if (s.pid === pid) total += s.own + (isRoot ? s.reaped : 0); // a child's reaped ticks are counted by its parent
      if (s.ppid === pid) walk(s.pid, false);
    }
  };
  if (root) walk(root, true);
  return total / 100;
}

/** The postmaster of the PostgreSQL whose data folder is `dataDir`. */
export function postmasterOf(dataDir: string): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes('-D') && args[args.indexOf('-D') + 1] === dataDir) return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** Busy and total CPU ticks of the whole machine so far (/proc/stat's first line). */
function machineTicks(): { busy: number; total: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, n) => sum + n, 0);
  return { busy: total - fields[3] - (fields[4] ?? 0), total }; // idle and iowait are not busy
}

/**
 * Where the CPU went between start and stop: each named process's CPU time and this process's own (the driver),
 * as percent of one core and per item (`stop(items)`, e.g. per order: the load-independent cost of one), and the
 * machine's busy share of all its cores (100 = every core busy).
 */
export function sampleCpu(pids: Record<string, number | undefined>, trees: Record<string, number | undefined> = {}) {
  const at = Date.now();
  const self = process.cpuUsage();
  const machine = machineTicks();
  const cpuNow = () => ({
    ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)])),
    ...Object.fromEntries(Object.entries(trees).map(([name, pid]) => [name, cpuSecondsOfTree(pid)])),
  });
  const before = cpuNow();
  return {
    stop(items = 1): { percent: Record<string, number>; perItemMs: Record<string, number>; machineBusy: number } {
      const seconds = (Date.now() - at) / 1000;
      const used = process.cpuUsage(self);
      const spent: Record<string, number> = {
        ...Object.fromEntries(Object.entries(cpuNow()).map(([name, s]) => [name, s - before[name]])),
        driver: (used.user + used.system) / 1e6,
      };
      const now = machineTicks();
      const each = (f: (s: number) => number) =>
        Object.fromEntries(Object.entries(spent).map(([name, s]) => [name, Math.round(f(s) * 10) / 10]));
      return {
        percent: each((s) => (s / seconds) * 100),
        perItemMs: each((s) => (s * 1000) / Math.max(items, 1)),
        machineBusy: Math.round(((now.busy - machine.busy) / (now.total - machine.total)) * 1000) / 10,
      };
    },
  };
}
