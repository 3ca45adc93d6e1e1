import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../common/config';
import { SEARCH_ATTRIBUTES } from '../../common/contract';
import { nodeArgs } from '../../scripts/lib/processes';
import { WORKER_ENTRY, WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../workers/process-settings';

/**
 * There is no Docker engine here: the compose file and the Dockerfile are read as text and checked against the code.
 * Every variable the config module requires reaches every app service, each service's values pass the config's own
 * validation, and every port, host and path one service names is the one the other side listens on.
 */
// js-yaml comes with the test tooling (v3 API).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { safeLoad(text: string): unknown };

const ROOT = path.resolve(__dirname, '../..');
type Service = {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
};
const compose = yaml.safeLoad(fs.readFileSync(path.join(ROOT, 'docker-compose.temporal.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const APP_SERVICES = ['migrate', 'worker', 'api', 'bot'];

/** The value a service gets with its variables filled as an operator would: defaults, else a valid secret. */
const SAMPLES: Record<string, string> = {
  TELEGRAM_BOT_TOKEN: '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
  PUBLIC_BASE_URL: 'https://api.cvety.kz',
  PRODUCTION_API_URL: 'https://production.example/api/v2',
  S3_ENDPOINT: 'https://r2.example',
  S3_PUBLIC_BASE_URL: 'https://photos.example',
  PAYLOAD_KEYS:
    '2026-12:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=,2026-06:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=',
};
const interpolate = (value: string) =>
  String(value).replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) =>
    kind === '-' ? (rest ?? '') : (SAMPLES[name] ?? `sample-${name.toLowerCase()}-0123456789abcdef`),
  );
const envOf = (service: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ ...dockerfileEnv(), ...compose.services[service].environment }).map(([k, v]) => [
      k,
      interpolate(v),
    ]),
  );

const dockerCmd = () => JSON.parse(/^CMD (.*)$/m.exec(dockerfile.split(/^FROM /m).at(-1)!)![1]) as string[];

function dockerfileEnv(): Record<string, string> {
  const block = /^ENV ((?:.*\\\n)*.*)$/m.exec(dockerfile.split(/^FROM /m).at(-1)!)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
}

/** Names the config module cannot do without: what it reports missing for an empty environment. */
function requiredVariables(): string[] {
  try {
    loadConfig({});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((problem) => problem.split(' ')[0]);
  }
  throw new Error('an empty environment was accepted');
}

const hostPort = (mapping: string) => {
  const parts = mapping.split(':');
  return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
};
const healthPort = (service: string) =>
  Number(/127\.0\.0\.1:(\d+)\//.exec(compose.services[service].healthcheck!.test.join(' '))![1]);

describe('docker-compose.temporal.yml', () => {
  it.each(APP_SERVICES)('%s runs the project image and gets every variable the config module requires', (service) => {
    expect(compose.services[service]).toMatchObject({ build: '.', image: expect.stringMatching(/^cvety-orders:/) });
    const required = requiredVariables();
    expect(required).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'PRODUCTION_API_TOKEN', 'TELEGRAM_BOT_TOKEN', 'PAYLOAD_KEYS']),
    );
    expect(required.filter((name) => !(name in envOf(service)))).toEqual([]);
    expect(() => loadConfig(envOf(service))).not.toThrow();
  });

  it('points the app at the Temporal and PostgreSQL services on the ports they listen on', () => {
    const config = loadConfig(envOf('worker'));
    const [temporalHost, temporalPort] = config.TEMPORAL_ADDRESS.split(':');
    expect(compose.services[temporalHost]).toBeDefined();
    expect(compose.services.temporal.ports!.map(hostPort)[0].container).toBe(Number(temporalPort));
    const db = new URL(config.DATABASE_URL);
    expect(compose.services[db.hostname].image).toMatch(/^postgres:/);
    expect(db.port).toBe('5432');
    expect(db.username).toBe(compose.services[db.hostname].environment!.POSTGRES_USER);
    expect(db.pathname).toBe(`/${compose.services[db.hostname].environment!.POSTGRES_DB}`);
  });

  it('publishes the API, worker health and metrics, and bot metrics ports the processes listen on, and health-checks them there', () => {
    const api = loadConfig(envOf('api'));
    expect(compose.services.api.ports!.map(hostPort)).toContainEqual({ host: 3000, container: api.API_PORT });
    expect(healthPort('api')).toBe(api.API_PORT);
    const worker = loadConfig(envOf('worker'));
    expect(worker.WORKER_LISTEN_HOST).toBe('0.0.0.0');
    const published = compose.services.worker.ports!.map(hostPort).map((p) => p.container);
    expect(published).toEqual(expect.arrayContaining([worker.WORKER_HTTP_PORT, worker.WORKER_SDK_METRICS_PORT]));
    expect(healthPort('worker')).toBe(worker.WORKER_HTTP_PORT);
    const bot = loadConfig(envOf('bot'));
    expect(bot.BOT_LISTEN_HOST).toBe('0.0.0.0');
    expect(compose.services.bot.ports!.map(hostPort)).toContainEqual({ host: 3002, container: bot.BOT_METRICS_PORT });
    const exposed = /^EXPOSE (.*)$/m.exec(dockerfile)![1].split(/\s+/).map(Number);
    expect(exposed).toEqual(
      expect.arrayContaining([
        api.API_PORT,
        worker.WORKER_HTTP_PORT,
        worker.WORKER_SDK_METRICS_PORT,
        bot.BOT_METRICS_PORT,
      ]),
    );
  });

  it("points the worker and the bot at the API's photo engine, reachable inside the network only, with a token", () => {
    const api = loadConfig(envOf('api'));
    expect(api.PHOTO_ENGINE_TOKEN).toBeDefined();
    expect(compose.services.api.ports!.map(hostPort).map((p) => p.container)).not.toContain(api.PHOTO_ENGINE_PORT);
    for (const service of ['worker', 'bot']) {
      const config = loadConfig(envOf(service));
      const url = new URL(config.PHOTO_ENGINE_URL!);
      expect([url.hostname, Number(url.port)]).toEqual(['api', api.PHOTO_ENGINE_PORT]);
      expect(config.PHOTO_ENGINE_TOKEN).toBe(api.PHOTO_ENGINE_TOKEN);
    }
  });

  it("points the Web UI at the API's codec routes, and lets only the UI's origin call them", () => {
    const ui = compose.services['temporal-ui'];
    const endpoint = new URL(interpolate(ui.environment!.TEMPORAL_CODEC_ENDPOINT));
    const apiHostPort = compose.services.api.ports!.map(hostPort)[0].host;
    expect(endpoint.port).toBe(String(apiHostPort));
    expect(endpoint.pathname).toBe(`/codec/${envOf('api').CODEC_OPERATOR_TOKEN}`);
    const uiOrigin = `http://127.0.0.1:${ui.ports!.map(hostPort)[0].host}`;
    expect(envOf('api').CODEC_CORS_ORIGINS.split(',')).toContain(uiOrigin);
  });

  it('registers exactly the search attributes of the contract', () => {
    const listed = compose.services['temporal-register'].environment!.SEARCH_ATTRIBUTES.split(/\s+/);
    expect(Object.fromEntries(listed.map((pair) => pair.split('=')))).toEqual(SEARCH_ATTRIBUTES);
  });

  it('starts the app after its migrations and the namespace set-up', () => {
    for (const service of ['worker', 'api']) {
      expect(compose.services[service].depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-register': { condition: 'service_completed_successfully' },
      });
    }
    expect(compose.services.migrate.command).toEqual(['--import', 'tsx', 'db/migrate.ts', 'deploy']);
    for (const [service, entry] of [
      ['worker', WORKER_ENTRY],
      ['api', 'api/main.ts'],
      ['bot', 'bot/main.ts'],
    ]) {
      expect(compose.services[service].command!.at(-1)).toBe(entry);
      expect(fs.existsSync(path.join(ROOT, entry))).toBe(true);
    }
  });
});

describe('Dockerfile', () => {
  const runtime = dockerfile.split(/^FROM /m).at(-1)!;

  it('builds on slim Debian and runs as a user other than root', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)![1];
    expect(image).toMatch(/^node:\d[\d.]*-(bookworm|trixie)-slim$/);
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('runs the workflow bundle it built ahead of time', () => {
    const built = /npm run build:workflows -- (\S+)/.exec(dockerfile)![1];
    expect(dockerfileEnv().WORKFLOW_BUNDLE).toBe(path.posix.join('/app', built));
    expect(/^WORKDIR (\S+)$/m.exec(runtime)![1]).toBe('/app');
  });

  it('starts the entry point a service names with node, TypeScript through tsx', () => {
    expect(/^ENTRYPOINT (.*)$/m.exec(runtime)![1]).toBe('["node"]');
    for (const service of ['api', 'bot', 'migrate']) {
      expect(compose.services[service].command!.slice(0, 2)).toEqual(['--import', 'tsx']);
    }
    expect(fs.existsSync(path.join(ROOT, dockerCmd().at(-1)!))).toBe(true);
  });

  it('starts the worker as npm start does: its node flags and malloc arenas, also in docker-compose', () => {
    expect(dockerCmd()).toEqual(nodeArgs(WORKER_ENTRY, WORKER_NODE_FLAGS));
    expect(compose.services.worker.command).toEqual(dockerCmd());
    expect(envOf('worker')).toMatchObject(WORKER_PROCESS_ENV);
  });

  it('keeps local data, secrets and dependencies out of the build context', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.env', '.tools']));
  });
});
