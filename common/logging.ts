import type { LogLevel as SdkLogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Fields whose values never reach a log line, at any of the first three levels of a logged object: secrets and
 * tokens, and the customers' phones, addresses and card texts (operators get those from the database, not logs).
 */
export const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'x-webhook-secret',
  'x-signature',
  'x-codec-token',
  'token',
  'accessToken',
  'botToken',
  'apiKey',
  'password',
  'secret',
  'signature',
  'phone',
  'customerPhone',
  'recipientPhone',
  'address',
  'cardText',
] as const;

const asPath = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
export const REDACT_PATHS = REDACTED_KEYS.flatMap((key) =>
  ['', '*', '*.*'].map((prefix) => `${prefix}${asPath(key)}`.replace(/^\./, '')),
);

/** Free text can carry what a field name does not announce: phone numbers, Bot API tokens, bearer tokens. */
const TEXT_MASKS: [RegExp, string][] = [
  [/\b\d{6,12}:[\w-]{30,}/g, '[token]'],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, '$1 [token]'],
  [/(?<![\w])\+?[78][\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)/g, '[phone]'],
];
export const maskText = (text: string): string =>
  TEXT_MASKS.reduce((masked, [pattern, replacement]) => masked.replace(pattern, replacement), text);

/** One JSON line per event on stdout, named by process, at LOG_LEVEL. */
export function createLogger(
  processName: string,
  opts: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { process: processName, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskText(arg) : arg)) as typeof args;
          method.apply(this, masked);
        },
      },
    },
    opts.destination,
  );
}

/** Node's own warnings (deprecations, a library's notice) as log lines instead of plain text on stderr. */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ warning: warning.name }, warning.message));
}

const SDK_LEVELS: Record<SdkLogLevel, pino.Level> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's logger (for `Runtime.install`): workflow and activity context loggers, the SDK itself and,
 * forwarded, its native core. Every line names its workflow id, run id, tracking id (of `order-<trackingId>`)
 * and activity type when it has them, under the same keys whoever emitted it.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const log = (level: SdkLogLevel, message: string, meta: LogMetadata = {}) => {
    const { workflowRunId, runId, ...rest } = meta as Record<string, unknown>;
    const fields: Record<string, unknown> = { ...rest, runId: runId ?? workflowRunId };
    const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : undefined;
    const tracking = workflowId && /^order-(.+)$/.exec(workflowId);
    if (tracking) fields.trackingId = tracking[1];
    if (fields.runId === undefined) delete fields.runId;
    logger[SDK_LEVELS[level]](fields, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
