import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../common/logging';

/** An error with the HTTP status and code the contract's `{"error":{code,message}}` body carries. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Sent with the answer, e.g. Retry-After on a 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Validates with zod and names every bad field in one 400. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  throw new HttpError(400, 'invalid_request', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
}

const BOT_TOKEN = /\d{5,}:[\w-]{20,}/g;

/**
 * One line about an unexpected error that is safe to log: a Prisma error is named by its class and code only
 * (its message repeats the query and its arguments: customers' phones and addresses), and anything shaped like
 * a bot token is blanked.
 */
export function describeError(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; stack?: string; clientVersion?: string };
  if (e?.clientVersion !== undefined || /^PrismaClient/.test(e?.name ?? ''))
    return `${e.name ?? 'PrismaError'}${e.code ? ` ${e.code}` : ''} (query arguments not logged)`;
  const text = e?.stack ?? `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
  return text.replace(BOT_TOKEN, '<bot token>');
}

/** The one error middleware: contract errors as they are, anything unexpected logged and answered 500. */
export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (err, _req, res, _next) => {
    if (err instanceof HttpError) {
      if (err.headers) res.set(err.headers);
      res
        .status(err.status)
        .json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status && status >= 400 && status < 500) {
      // body-parser's own errors: malformed JSON, too large, unsupported charset.
      const code = status === 413 ? 'too_large' : 'bad_request';
      res.status(status).json({ error: { code, message: (err as Error).message } });
      return;
    }
    logger.error({ error: describeError(err) }, 'unhandled API error');
    res.status(500).json({ error: { code: 'internal', message: 'Internal error' } });
  };
