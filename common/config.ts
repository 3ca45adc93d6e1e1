import { z } from 'zod';
import { parsePayloadKeys } from './payload-codec';
import { parseSlotCapacity } from './slot-capacity';

/** Every address and secret the system uses, read once from the environment at start-up. */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30m, 6h or 15s')
  .transform(parseDuration);

const port = z.coerce.number().int().min(1).max(65535);
const url = z.string().url();
const secret = z.string().min(16, 'at least 16 characters');
const count = z.coerce.number().int().min(1);
/** A comma-separated list ("a, b") → ["a", "b"]; a bad item is reported without its value (it may be a key). */
const list = (item: z.ZodString, expected: string) =>
  z.string().transform((text, ctx) => {
    const items = text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    if (items.some((part) => !item.safeParse(part).success)) ctx.addIssue({ code: 'custom', message: expected });
    return items;
  });

const schema = z.object({
  API_PORT: port.default(3000),
  PUBLIC_BASE_URL: url.default('http://127.0.0.1:3000'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_PORT: port.default(8233),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgresql:// URL'),
  PRODUCTION_API_URL: url.default('http://127.0.0.1:4010/api/v2'),
  PRODUCTION_API_TOKEN: secret,
  CITY_ID: z.coerce.number().int().positive().default(2),
  WEBHOOK_SECRET: secret,
  KASPI_CALLBACK_SECRET: secret,
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]{20,}$/, 'a Bot API token such as 123456:ABC...'),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[\w-]{16,256}$/, '16-256 characters of A-Z a-z 0-9 _ -')
    .optional(),
  BOT_MODE: z.enum(['polling', 'webhook']).default('polling'),
  // The polling bot's own /metrics (bot/metrics-server.ts); in webhook mode the API's /metrics has its lines.
  BOT_LISTEN_HOST: z.string().default('127.0.0.1'),
  BOT_METRICS_PORT: port.default(3002),
  S3_ENDPOINT: url.default('http://127.0.0.1:4030'),
  S3_REGION: z.string().default('auto'),
  S3_BUCKET: z.string().default('cvety-photos'),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  S3_PUBLIC_BASE_URL: url.default('http://127.0.0.1:4030/cvety-photos'),
  SHOP_TIMEZONE: z.string().default('Asia/Almaty'),
  SHOP_ADDRESS: z.string().min(5).default('Астана, ул. Кенесары 40'),
  SHOP_HOURS: z
    .string()
    .regex(/^\d\d:\d\d-\d\d:\d\d$/, 'opening hours such as 09:00-21:00')
    .default('09:00-21:00'),
  SHOP_PHONE: z.string().default('+77010000000'),
  BOT_SESSION_TTL: duration.default(30 * 86_400_000),
  PAYMENT_DEADLINE: duration.default(30 * 60_000),
  // How long the API and the bot wait for a worker to take a cancel or another change (then 503 order_busy).
  ORDER_UPDATE_TIMEOUT: duration.default(5_000),
  // How long placing an order waits for a worker to price it (then 503 order_busy with its tracking id).
  ORDER_PLACE_TIMEOUT: duration.default(15_000),
  LATE_PAYMENT_WATCH: duration.default(24 * 3_600_000),
  PAYMENT_REMINDER_BEFORE: duration.default(10 * 60_000),
  APPROVAL_TIMEOUT: duration.default(3_600_000),
  DELIVERY_REMINDER_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a shop time such as 09:00')
    .default('09:00'),
  RATING_TIMEOUT: duration.default(3 * 86_400_000),
  // Places per delivery slot: a default, then per weekday, slot, or both (common/slot-capacity.ts).
  SLOT_CAPACITY: z
    .string()
    .default('10')
    .transform((text, ctx) => {
      try {
        return parseSlotCapacity(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  DELIVERY_FEE_TENGE: z.coerce.number().int().min(0).default(2500),
  RECONCILE_EVERY: duration.default(15 * 60_000),
  // The pace of polling Kaspi and the CRM (defaults in workflows/timings.ts); rehearsals shorten it.
  KASPI_POLL_EVERY: duration.optional(),
  KASPI_SLOW_POLL_EVERY: duration.optional(),
  KASPI_LATE_POLL_EVERY: duration.optional(),
  CRM_POLL_EVERY: duration.optional(),
  PRODUCT_SYNC_EVERY: duration.default(6 * 3_600_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  PHOTO_SEARCH: z.enum(['local', 'http']).default('local'),
  PHOTO_SEARCH_URL: url.optional(),
  PHOTO_EXACT_THRESHOLD: z.coerce.number().min(0).max(1).default(0.85),
  PHOTO_SIMILAR_THRESHOLD: z.coerce.number().min(0).max(1).default(0.7),
  PHOTO_SEARCH_WORKERS: z.coerce.number().int().min(1).max(8).default(1),
  PHOTO_INDEX_REFRESH: duration.default(15_000),
  // The local engine runs in the API process; the worker and the polling bot call it here (docs/security.md).
  PHOTO_ENGINE_HOST: z.string().default('127.0.0.1'),
  PHOTO_ENGINE_PORT: port.default(3003),
  PHOTO_ENGINE_URL: url.optional(),
  PHOTO_ENGINE_TOKEN: secret.optional(),

  // The public surface (docs/security.md): who may call, and the limits applied before any work starts.
  API_KEYS: list(z.string().min(32), 'comma-separated keys of at least 32 characters each').default([]),
  TELEGRAM_INIT_DATA_MAX_AGE: duration.default(3_600_000),
  KASPI_CALLBACK_MAX_AGE: duration.default(5 * 60_000),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  RATE_LIMIT_WINDOW: duration.default(60_000),
  RATE_LIMIT_PER_ADDRESS: count.default(300),
  RATE_LIMIT_ORDERS_PER_ADDRESS: count.default(20),
  RATE_LIMIT_ORDERS_PER_PHONE: count.default(5),
  RATE_LIMIT_PHONE_WINDOW: duration.default(3_600_000),
  ORDER_MAX_TOTAL_TENGE: count.max(20_000_000).default(1_000_000),
  ORDER_MAX_ITEMS: count.max(999).default(30),
  PHOTO_SEARCH_CONCURRENCY: count.max(64).default(2),
  PHOTO_MAX_PIXELS: count.default(40_000_000),
  CRM_PHOTO_HOSTS: list(
    z.string().regex(/^\.?[a-z0-9.-]+$/i),
    'host names such as cdn.cvety.kz or .cvety.kz',
  ).optional(),
  // Customer data in Temporal (docs/operations.md): payload encryption keys, newest first; the phone hash key.
  PAYLOAD_KEYS: z.string().transform((text, ctx) => {
    try {
      return parsePayloadKeys(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  PHONE_HASH_KEY: secret,
  // The codec server (POST /codec/encode, /codec/decode): the operators' token and the Web UI origins allowed.
  CODEC_OPERATOR_TOKEN: secret.optional(),
  CODEC_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  // Worker production settings (docs/operations.md).
  WORKER_QUEUES: z
    .string()
    .default('orders,catalog')
    .transform((text) => text.split(',').map((queue) => queue.trim()))
    .pipe(z.array(z.enum(['orders', 'catalog'])).min(1)),
  WORKER_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
  WORKER_MAX_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  CATALOG_MAX_ACTIVITIES: z.coerce.number().int().min(1).default(4),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
  WORKER_SHUTDOWN_GRACE: duration.default(30_000),
  WORKER_LISTEN_HOST: z.string().default('127.0.0.1'),
  WORKER_HTTP_PORT: port.default(3001),
  WORKER_SDK_METRICS_PORT: port.default(9464),
  WORKFLOW_BUNDLE: z.string().optional(),
  WORKER_VERSIONING: z.enum(['on', 'off']).default('on'),
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[\w.+-]{1,255}$/)
    .optional(),
  WORKER_PROMOTE: z.enum(['auto', 'manual']).default('auto'),
});

export type Config = z.infer<typeof schema>;

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Rules across variables. */
const checked = schema.superRefine((config, ctx) => {
  // Photos and the index go unauthenticated only over loopback.
  if (!isLoopback(config.PHOTO_ENGINE_HOST) && !config.PHOTO_ENGINE_TOKEN)
    ctx.addIssue({
      code: 'custom',
      path: ['PHOTO_ENGINE_TOKEN'],
      message: 'required when PHOTO_ENGINE_HOST is not a loopback address',
    });
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (see .env.example):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the whole environment and names every missing or malformed variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checked.safeParse(blanksRemoved);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return env[name] === undefined || env[name] === ''
        ? `${name} is missing`
        : `${name} is malformed: ${issue.message}`;
    }),
  );
}

/** "30m" → 1 800 000 ms. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** The order workflow's timing, as configured. */
export const orderSettingsFromConfig = (config: Config) => ({
  paymentDeadlineMs: config.PAYMENT_DEADLINE,
  latePaymentWatchMs: config.LATE_PAYMENT_WATCH,
  paymentReminderBeforeMs: config.PAYMENT_REMINDER_BEFORE,
  deliveryDay: {
    approvalTimeoutMs: config.APPROVAL_TIMEOUT,
    ratingTimeoutMs: config.RATING_TIMEOUT,
    ratingCommentMs: RATING_COMMENT_MS,
    reminderAt: config.DELIVERY_REMINDER_AT,
    shopTimeZone: config.SHOP_TIMEZONE,
  },
  timings: withoutUnset({
    kaspiFastPollMs: config.KASPI_POLL_EVERY,
    kaspiSlowPollMs: config.KASPI_SLOW_POLL_EVERY,
    kaspiLatePollMs: config.KASPI_LATE_POLL_EVERY,
    crmPollMs: config.CRM_POLL_EVERY,
  }),
});

/** How long the bot waits for the optional comment after the stars (the bot's question says "within half an hour"). */
export const RATING_COMMENT_MS = 30 * 60_000;

/** Unset paces are left out, so the workflow's defaults apply to them. */
const withoutUnset = <T extends Record<string, number | undefined>>(values: T) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, number>>;
