import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Which services `npm start` runs itself, and the environment every child gets. */
export interface RunPlan {
  env: Record<string, string>;
  local: { temporal: boolean; database: boolean; production: boolean; telegram: boolean; s3: boolean };
  ports: {
    api: number;
    temporal: number;
    temporalUi: number;
    production: number;
    telegram: number;
    s3: number;
    postgres: number;
  };
}

type Env = Record<string, string>;

/** Every port a whole local system binds: a test or benchmark running beside others gives each a free one. */
export const LOCAL_PORT_NAMES = [
  'API_PORT',
  'PHOTO_ENGINE_PORT',
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'STANDIN_PRODUCTION_PORT',
  'STANDIN_TELEGRAM_PORT',
  'STANDIN_S3_PORT',
  'EMBEDDED_PG_PORT',
  'WORKER_HTTP_PORT',
  'WORKER_SDK_METRICS_PORT',
  'BOT_METRICS_PORT',
] as const;

/**
 * A service runs locally when its credential or address is unset: the stand-ins replace the production API
 * (PRODUCTION_API_URL), Telegram (TELEGRAM_BOT_TOKEN) and S3 (S3_ENDPOINT); the dev server replaces Temporal
 * (TEMPORAL_ADDRESS); embedded PostgreSQL replaces DATABASE_URL. Secrets the local services share with us
 * are generated once and kept in .data/local-secrets.json, so a second start reuses them.
 */
export function planRun(dataDir: string, processEnv: NodeJS.ProcessEnv): RunPlan {
  // Blank values count as unset (as in loadConfig), so a copied .env.example changes nothing.
  const env: Env = Object.fromEntries(
    Object.entries(processEnv).filter((entry): entry is [string, string] => !!entry[1]?.trim()),
  );
  const ports = {
    api: port(env, 'API_PORT', 3000),
    photoEngine: port(env, 'PHOTO_ENGINE_PORT', 3003),
    temporal: port(env, 'TEMPORAL_PORT', 7233),
    temporalUi: port(env, 'TEMPORAL_UI_PORT', 8233),
    production: port(env, 'STANDIN_PRODUCTION_PORT', 4010),
    telegram: port(env, 'STANDIN_TELEGRAM_PORT', 4020),
    s3: port(env, 'STANDIN_S3_PORT', 4030),
    postgres: port(env, 'EMBEDDED_PG_PORT', 54329),
  };
  const local = {
    temporal: !env.TEMPORAL_ADDRESS,
    database: !env.DATABASE_URL,
    production: !env.PRODUCTION_API_URL,
    telegram: !env.TELEGRAM_BOT_TOKEN,
    s3: !env.S3_ENDPOINT,
  };
  const secrets = new LocalSecrets(path.join(dataDir, 'local-secrets.json'));
  const local127 = (p: number) => `http://127.0.0.1:${p}`;

  env.PUBLIC_BASE_URL ??= local127(ports.api);
  if (local.temporal) env.TEMPORAL_ADDRESS = `127.0.0.1:${ports.temporal}`;
  if (local.production) {
    env.PRODUCTION_API_URL = `${local127(ports.production)}/api/v2`;
    env.PRODUCTION_API_TOKEN ??= secrets.get('PRODUCTION_API_TOKEN', token);
    env.WEBHOOK_SECRET ??= secrets.get('WEBHOOK_SECRET', token);
    env.KASPI_CALLBACK_SECRET ??= secrets.get('KASPI_CALLBACK_SECRET', token);
  }
  if (local.telegram) {
    env.TELEGRAM_BOT_TOKEN = secrets.get('TELEGRAM_BOT_TOKEN', () => `123456:${token()}`);
    env.TELEGRAM_API_ROOT = local127(ports.telegram);
  }
  if (local.s3) {
    env.S3_ENDPOINT = local127(ports.s3);
    env.S3_PUBLIC_BASE_URL = `${env.S3_ENDPOINT}/${env.S3_BUCKET ?? 'cvety-photos'}`;
    env.S3_ACCESS_KEY_ID ??= secrets.get('S3_ACCESS_KEY_ID', () => randomBytes(10).toString('hex').toUpperCase());
    env.S3_SECRET_ACCESS_KEY ??= secrets.get('S3_SECRET_ACCESS_KEY', token);
  }
  // The stand-ins keep their state (CRM orders, payments, chats, id counters) beside the rest of the data.
  env.STANDIN_DATA_DIR ??= path.join(dataDir, 'standins');
  // Customer data in Temporal: local keys generated once (docs/operations.md); the local Web UI may use the codec.
  env.PAYLOAD_KEYS ??= secrets.get('PAYLOAD_KEYS', () => `local-1:${randomBytes(32).toString('base64')}`);
  env.PHONE_HASH_KEY ??= secrets.get('PHONE_HASH_KEY', token);
  env.CODEC_OPERATOR_TOKEN ??= secrets.get('CODEC_OPERATOR_TOKEN', token);
  env.CODEC_CORS_ORIGINS ??= [`http://127.0.0.1:${ports.temporalUi}`, `http://localhost:${ports.temporalUi}`].join(',');
  // Every port explicitly, so no child falls back to a default of its own.
  Object.assign(env, {
    API_PORT: String(ports.api),
    PHOTO_ENGINE_PORT: String(ports.photoEngine),
    TEMPORAL_UI_PORT: String(ports.temporalUi),
    STANDIN_PRODUCTION_PORT: String(ports.production),
    STANDIN_TELEGRAM_PORT: String(ports.telegram),
    STANDIN_S3_PORT: String(ports.s3),
    // Which stand-ins standins/main.ts should serve (comma-separated: production, telegram, s3).
    STANDIN_SERVICES: (['production', 'telegram', 's3'] as const).filter((name) => local[name]).join(','),
  });
  secrets.save();
  return { env, local, ports };
}

function port(env: Env, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} is not a port: ${env[name]}`);
  return value;
}

const token = () => randomBytes(24).toString('base64url');

/** Generated secrets of local runs, persisted with owner-only permissions. */
class LocalSecrets {
  private values: Env;
  private changed = false;

  constructor(private readonly file: string) {
    this.values = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Env) : {};
  }

  get(name: string, generate: () => string): string {
    if (!this.values[name]) {
      this.values[name] = generate();
      this.changed = true;
    }
    return this.values[name];
  }

  save(): void {
    if (!this.changed) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(this.values, null, 2) + '\n', { mode: 0o600 });
  }
}
