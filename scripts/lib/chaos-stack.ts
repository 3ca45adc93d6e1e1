/**
 * The real stack as separate OS processes, for fault rehearsals (`npm run chaos`, test/chaos): the Temporal dev
 * server on its SQLite file, PostgreSQL (embedded, so it can be restarted), the production API stand-in and the
 * Telegram + S3 stand-ins in processes of their own, one worker process and one API process. Every piece can be
 * killed and started again on the same data; `npm start`'s own helpers start each of them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import got from 'got';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../common/config';
import { connectTemporalClient } from '../../common/temporal-connection';
import { createPrisma, type PrismaClient } from '../../db/client';
import { startEmbeddedPostgres, type RunningPostgres } from '../../db/embedded';
import { applyMigrations } from '../../db/migrate';
import { LOCAL_PORT_NAMES, planRun } from './local-env';
import { nodeArgs, startProcess, tail, type ManagedProcess } from './processes';
import { startTemporalDevServer } from './temporal-dev-server';
import { answers200, isPortOpen, waitUntil } from './wait';
import { WORKER_ENTRY, WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../workers/process-settings';
import { workflowBundleOptions } from '../../workers/workflow-bundle';

const ROOT = path.resolve(__dirname, '../..');
const PORT_NAMES = LOCAL_PORT_NAMES;
type PortName = (typeof PORT_NAMES)[number];

export interface ChaosStackOptions {
  /** Where every piece keeps its data and logs (a folder the postgres user can enter when run as root). */
  dir: string;
  /** Hands out ports for the children (tests draw them below the ephemeral range). */
  freePort: () => Promise<number>;
  /** Settings for every child on top of the stack's own (poll paces, deadlines). */
  env?: Record<string, string>;
  /** How long a process may take to become ready (slow machines under parallel tests need more). */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

/** Counts of what the stack went through, for the closing JSON line. */
export interface ChaosCounts {
  workerKills: number;
  workerStarts: number;
  temporalStops: { SIGTERM: number; SIGKILL: number };
  postgresRestarts: number;
  productionOutages: number;
  productionOutageMs: number;
}

export class ChaosStack {
  readonly counts: ChaosCounts = {
    workerKills: 0,
    workerStarts: 0,
    temporalStops: { SIGTERM: 0, SIGKILL: 0 },
    postgresRestarts: 0,
    productionOutages: 0,
    productionOutageMs: 0,
  };
  private temporal?: ManagedProcess;
  private postgres?: RunningPostgres;
  private production?: ManagedProcess;
  private standins?: ManagedProcess;
  private worker?: ManagedProcess;
  private api?: ManagedProcess;
  private starts = 0;
  private clientValue?: Client;
  private prismaValue?: PrismaClient;

  private constructor(
    private readonly opts: ChaosStackOptions,
    readonly env: Record<string, string>,
    readonly ports: Record<PortName, number>,
  ) {}

  static async start(opts: ChaosStackOptions): Promise<ChaosStack> {
    fs.mkdirSync(opts.dir, { recursive: true });
    const ports = {} as Record<PortName, number>;
    for (const name of PORT_NAMES) ports[name] = await opts.freePort();
    const apiKey = randomBytes(24).toString('base64url');
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: opts.dir,
      ...Object.fromEntries(PORT_NAMES.map((name) => [name, String(ports[name])])),
      API_KEYS: apiKey,
      // Orders come from one address and a handful of phones: the public limits are not under test here.
      RATE_LIMIT_PER_ADDRESS: '1000000',
      RATE_LIMIT_ORDERS_PER_ADDRESS: '1000000',
      RATE_LIMIT_ORDERS_PER_PHONE: '1000000',
      SLOT_CAPACITY: '99999', // every order goes to the same slot: capacity is tested in test/api/slots.test.ts
      WORKER_QUEUES: 'orders', // no catalog sync: pricing reads products from the production API
      LOG_LEVEL: 'warn',
      PHOTO_SEARCH: 'http',
      PHOTO_SEARCH_URL: 'http://127.0.0.1:9/unused',
      WORKFLOW_BUNDLE: path.join(opts.dir, 'workflow-bundle.js'),
      ...opts.env,
    };
    const plan = planRun(opts.dir, base);
    const stack = new ChaosStack(opts, { ...plan.env, CHAOS_API_KEY: apiKey }, ports);
    try {
      await stack.boot();
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.API_PORT}`;
  }
  get productionUrl(): string {
    return `http://127.0.0.1:${this.ports.STANDIN_PRODUCTION_PORT}`;
  }
  get telegramUrl(): string {
    return `http://127.0.0.1:${this.ports.STANDIN_TELEGRAM_PORT}`;
  }
  get apiKey(): string {
    return this.env.CHAOS_API_KEY;
  }
  get databaseUrl(): string {
    return this.env.DATABASE_URL;
  }
  /** A Temporal client with the stack's payload codec (it reconnects by itself after a dev server restart). */
  get client(): Client {
    if (!this.clientValue) throw new Error('the stack is not started');
    return this.clientValue;
  }
  get prisma(): PrismaClient {
    if (!this.prismaValue) throw new Error('the stack is not started');
    return this.prismaValue;
  }

  private async boot(): Promise<void> {
    const bundling = bundleWorkflowCode(workflowBundleOptions({ logger: quiet }));
    await this.startTemporal();
    await this.startPostgres();
    await applyMigrations(this.env.DATABASE_URL);
    this.prismaValue = createPrisma(this.env.DATABASE_URL);
    this.clientValue = await connectTemporalClient(loadConfig(this.env));
    await this.startProduction();
    this.standins = this.run('standins', 'standins/main.ts', { STANDIN_SERVICES: 'telegram,s3' });
    await this.waitFor('the Telegram stand-in', () => isPortOpen(this.ports.STANDIN_TELEGRAM_PORT), this.standins);
    fs.writeFileSync(this.env.WORKFLOW_BUNDLE, (await bundling).code);
    await this.startWorker();
    this.api = this.run('api', 'api/main.ts');
    await this.waitFor('the API', () => answers200(`${this.apiUrl}/health`), this.api);
  }

  /** SIGKILLs the worker process (activities die mid-call) and starts a new one. */
  async killWorker(): Promise<void> {
    await this.worker?.kill('SIGKILL');
    this.counts.workerKills++;
    await this.startWorker();
  }

  /** Stops the dev server with `signal`, leaves it down `downMs`, and starts it again on the same SQLite file. */
  async restartTemporal(signal: 'SIGTERM' | 'SIGKILL', downMs = 0): Promise<void> {
    await this.temporal?.kill(signal);
    this.counts.temporalStops[signal]++;
    await sleep(downMs);
    await this.startTemporal();
  }

  /** Stops PostgreSQL (a fast shutdown: open connections are cut), leaves it down `downMs`, starts it again. */
  async restartPostgres(downMs = 0): Promise<void> {
    await this.postgres?.stop();
    this.counts.postgresRestarts++;
    await sleep(downMs);
    await this.startPostgres();
  }

  /** The production API (CRM, catalog, Kaspi proxy) is down for `downMs`: nothing listens on its port. */
  async productionOutage(downMs: number): Promise<void> {
    await this.production?.kill('SIGTERM'); // its state file is written on the way out
    this.counts.productionOutages++;
    this.counts.productionOutageMs += downMs;
    await sleep(downMs);
    await this.startProduction();
  }

  /** A fault of the production API stand-in (standins/faults.ts): 500s, hangs, cut connections. */
  async productionFault(fault: Record<string, unknown>): Promise<void> {
    await got.post(`${this.productionUrl}/__control/faults`, { json: fault, retry: { limit: 0 } });
  }
  async telegramFault(fault: Record<string, unknown>): Promise<void> {
    await got.post(`${this.telegramUrl}/__control/faults`, { json: fault, retry: { limit: 0 } });
  }
  async clearFaults(): Promise<void> {
    for (const url of [this.productionUrl, this.telegramUrl]) await got.delete(`${url}/__control/faults`);
  }
  /** The customer of `chatId` blocks the bot: Telegram answers 403 for that chat. */
  async blockChat(chatId: number): Promise<void> {
    await got.post(`${this.telegramUrl}/__control/chats/${chatId}/block`, { json: { notify: false } });
  }

  async stop(): Promise<void> {
    for (const child of [this.api, this.worker, this.standins, this.production]) await child?.stop();
    await this.prismaValue?.$disconnect().catch(() => undefined);
    await this.clientValue?.connection.close().catch(() => undefined);
    await this.postgres?.stop();
    await this.temporal?.stop();
  }

  /** The last lines of every log, for a failure's message. */
  logs(): string {
    return fs
      .readdirSync(this.opts.dir)
      .filter((file) => file.endsWith('.log'))
      .map((file) => `--- ${file} ---\n${tail(path.join(this.opts.dir, file), 15)}`)
      .join('\n');
  }

  private async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      port: this.ports.TEMPORAL_PORT,
      uiPort: this.ports.TEMPORAL_UI_PORT,
      namespace: 'default',
      dbFile: path.join(this.opts.dir, 'temporal.db'),
      logFile: path.join(this.opts.dir, `temporal-${++this.starts}.log`),
      cwd: ROOT,
    });
  }

  private async startPostgres(): Promise<void> {
    const dataDir = path.join(this.opts.dir, 'postgres');
    this.postgres = await startEmbeddedPostgres({ dataDir, port: this.ports.EMBEDDED_PG_PORT });
    this.env.DATABASE_URL = this.postgres.url;
  }

  private async startProduction(): Promise<void> {
    this.production = this.run('production', 'standins/main.ts', { STANDIN_SERVICES: 'production' });
    const port = this.ports.STANDIN_PRODUCTION_PORT;
    await this.waitFor('the production API stand-in', () => isPortOpen(port), this.production);
  }

  private async startWorker(): Promise<void> {
    this.worker = this.run('worker', WORKER_ENTRY, {}, WORKER_NODE_FLAGS, WORKER_PROCESS_ENV);
    const health = `http://127.0.0.1:${this.ports.WORKER_HTTP_PORT}/health`;
    await this.waitFor('the worker', () => answers200(health), this.worker);
    this.counts.workerStarts++;
  }

  private run(
    name: string,
    entry: string,
    extra: Record<string, string> = {},
    nodeFlags: readonly string[] = [],
    defaults: Readonly<Record<string, string>> = {},
  ): ManagedProcess {
    const logFile = path.join(this.opts.dir, `${name}-${++this.starts}.log`);
    return startProcess(name, process.execPath, nodeArgs(entry, nodeFlags), {
      cwd: ROOT,
      env: { ...defaults, ...this.env, ...extra },
      logFile,
    });
  }

  private async waitFor(what: string, check: () => Promise<boolean>, child: ManagedProcess): Promise<void> {
    try {
      await waitUntil(what, check, {
        timeoutMs: this.opts.readyTimeoutMs ?? 120_000,
        intervalMs: 250,
        failFast: () => (child.hasExited() ? 'the process exited' : undefined),
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${this.logs()}`, { cause: err });
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
