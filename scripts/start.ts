/**
 * `npm start`: the whole system on embedded defaults, as one orchestrator. Temporal dev server, embedded
 * PostgreSQL and the stand-ins start for whatever the environment (or .env) does not point elsewhere;
 * then the workers, the API and the bot. Ctrl-C stops everything; data under .data/ survives restarts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../common/config';
import { redact } from '../db/admin';
import { applyMigrations } from '../db/migrate';
import { planRun, type RunPlan } from './lib/local-env';
import { startLocalPostgres } from './lib/local-postgres';
import { nodeArgs, startProcess } from './lib/processes';
import { Supervisor } from './lib/supervisor';
import { startTemporalDevServer } from './lib/temporal-dev-server';
import { answers200, isPortOpen, waitUntil } from './lib/wait';
import { WORKER_ENTRY, WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../workers/process-settings';

const ROOT = path.resolve(__dirname, '..');
// DATA_DIR lets a second copy (the end-to-end test) run beside the default one.
const DATA = path.resolve(ROOT, process.env.DATA_DIR || '.data');
// Children run on node with tsx's loader, not under the tsx CLI: the CLI relays signals through a 30 ms
// handshake and SIGKILLs a busy child that misses it, which cut shutdowns short under load.
const log = (line: string) => console.log(`[start] ${line}`);
const supervisor = new Supervisor(log);
const startedAt = Date.now();

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void supervisor.shutdown(0));
  }
  // Whatever breaks during start-up (a child's spawn error included) stops what was already started.
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  const envFile = path.join(ROOT, '.env');
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
  fs.mkdirSync(DATA, { recursive: true });
  const plan = planRun(DATA, process.env);
  // Fail before starting anything if the configuration cannot work (DATABASE_URL may still be embedded).
  const config = loadConfig({
    ...plan.env,
    DATABASE_URL: plan.env.DATABASE_URL ?? 'postgresql://embedded/placeholder',
  });

  if (plan.local.temporal) {
    log(`starting the Temporal dev server (${path.relative(ROOT, DATA)}/temporal.db, log in temporal.log beside it)`);
    await supervisor.start(
      startTemporalDevServer({
        port: plan.ports.temporal,
        uiPort: plan.ports.temporalUi,
        namespace: config.TEMPORAL_NAMESPACE,
        dbFile: path.join(DATA, 'temporal.db'),
        logFile: path.join(DATA, 'temporal.log'),
        cwd: ROOT,
        // The UI shows encrypted payloads through the API's codec routes, with the operator token in the path.
        codecEndpoint: `http://127.0.0.1:${plan.ports.api}/codec/${plan.env.CODEC_OPERATOR_TOKEN}`,
      }),
    );
  }
  await prepareDatabase(plan);

  plan.env.STANDIN_S3_DIR ??= path.join(DATA, 's3');
  if (plan.env.STANDIN_SERVICES) {
    runService('standins', 'standins/main.ts', plan);
    if (plan.local.production) await waitForPort('the production API stand-in', plan.ports.production);
    if (plan.local.telegram) await waitForPort('the Telegram stand-in', plan.ports.telegram);
    // Photo storage is not needed to take orders: without an S3 stand-in the rest still runs.
    if (plan.local.s3) await waitForPort('the S3 stand-in', plan.ports.s3);
  }
  runService('workers', WORKER_ENTRY, plan, { flags: WORKER_NODE_FLAGS, env: WORKER_PROCESS_ENV });
  runService('api', 'api/main.ts', plan);
  if (fs.existsSync(path.join(ROOT, 'bot/main.ts'))) runService('bot', 'bot/main.ts', plan);
  await waitUntil('the API', () => answers200(`http://127.0.0.1:${plan.ports.api}/health`), { timeoutMs: 120_000 });
  printUrls(plan, config);
}

async function prepareDatabase(plan: RunPlan): Promise<void> {
  if (plan.local.database) {
    log(`starting embedded PostgreSQL (${path.relative(ROOT, DATA)}/postgres)`);
    const pg = await supervisor.start(startLocalPostgres(path.join(DATA, 'postgres'), plan.ports.postgres, log));
    plan.env.DATABASE_URL = pg.url;
  }
  const { applied } = await applyMigrations(plan.env.DATABASE_URL);
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
}

/** `node` carries the process's own flags and environment defaults (the worker's); the plan's variables win. */
function runService(name: string, entry: string, plan: RunPlan, node: NodeSettings = {}): void {
  const args = nodeArgs(entry, node.flags);
  supervisor.watch(startProcess(name, process.execPath, args, { cwd: ROOT, env: { ...node.env, ...plan.env } }));
}
type NodeSettings = { flags?: readonly string[]; env?: Readonly<Record<string, string>> };

function waitForPort(what: string, port: number, timeoutMs = 30_000): Promise<void> {
  return waitUntil(`${what} on port ${port}`, () => isPortOpen(port), { timeoutMs });
}

function printUrls({ env, local, ports }: RunPlan, config: Config): void {
  const via = (isLocal: boolean) => (isLocal ? '(local stand-in)' : '');
  const rows = [
    ['API', config.PUBLIC_BASE_URL, `(health: http://127.0.0.1:${ports.api}/health)`],
    ['Temporal Web UI', local.temporal ? `http://127.0.0.1:${ports.temporalUi}` : '(that of your cluster)', ''],
    ['Temporal frontend', config.TEMPORAL_ADDRESS, `(namespace ${config.TEMPORAL_NAMESPACE})`],
    ['Production API', config.PRODUCTION_API_URL, via(local.production)],
    ['Telegram Bot API', config.TELEGRAM_API_ROOT, via(local.telegram)],
    ['S3', `${config.S3_ENDPOINT} (bucket ${config.S3_BUCKET})`, via(local.s3)],
    ['PostgreSQL', redact(env.DATABASE_URL), local.database ? '(embedded, .data/postgres)' : ''],
  ];
  const lines = rows.map(([name, url, note]) => `  ${name.padEnd(18)} ${url} ${note}`.trimEnd());
  const took = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(['', `cvety-orders is running (ready in ${took} s). Ctrl-C stops everything.`, ...lines, ''].join('\n'));
}

function fail(err: unknown): void {
  if (supervisor.isStopping) return;
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  void supervisor.shutdown(1);
}

main().catch(fail);
