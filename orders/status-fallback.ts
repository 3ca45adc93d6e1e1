import { QueryNotRegisteredError, ServiceError } from '@temporalio/client';
import type { OrderView } from '../common/order';

/** How long the API waits for a worker to answer an order's status query before reading PostgreSQL instead. */
export const STATUS_QUERY_TIMEOUT_MS = 3_000;

/** Where a view came from: absent for the live workflow; `records` for PostgreSQL, which may be slightly behind. */
export type StatusView = OrderView & { source?: 'records' };

/** Seconds a caller should wait before asking again when neither the workflow nor the database could answer. */
export const STATUS_RETRY_AFTER_S = 5;

/** The workflow's live view could not be read and the database has no row for it yet (answered 503). */
export class OrderUnavailableError extends Error {
  constructor(readonly trackingId: string) {
    super('The order cannot be read right now (no worker answered and it is not recorded yet); retry shortly');
    this.name = 'OrderUnavailableError';
  }
}

/** gRPC status codes: CANCELLED (our deadline's abort), DEADLINE_EXCEEDED (ours or the server's), UNAVAILABLE. */
const UNANSWERED_CODES = [1, 4, 14];

/**
 * A query no worker answered: none polls the order's task queue (a deploy, a crash), so the server or our own
 * deadline timed it out, or Temporal itself is unreachable. The order is fine; only its live view is out of reach.
 */
export function isUnansweredQuery(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  const code = (err.cause as { code?: number } | undefined)?.code;
  return code !== undefined && UNANSWERED_CODES.includes(code);
}

/**
 * The live view cannot be had right now, whatever the reason: unanswered (above), a worker still replaying the
 * order after a restart, a query the worker failed. A read then answers from the records instead of failing.
 */
export function isLiveViewUnavailable(err: unknown): boolean {
  return err instanceof ServiceError || err instanceof QueryNotRegisteredError;
}
