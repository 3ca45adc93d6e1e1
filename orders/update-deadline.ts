import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { isUnansweredQuery } from './status-fallback';

/** How long the API and the bot wait for a worker to take an order's update (cancel, new bill, answers). */
export const UPDATE_TIMEOUT_MS = 5_000;

/** Seconds a caller should wait before sending the change again. */
export const UPDATE_RETRY_AFTER_S = 30;

/**
 * No worker took the update in time (all workers down, or Temporal unreachable); answered 503 `order_busy`.
 * The server may still hold it (admitted, not durable) and apply it when a worker returns: callers give each
 * update an id of its own meaning, so that a retry lands on the same update instead of a second one.
 */
export class OrderBusyError extends Error {
  constructor(readonly trackingId: string) {
    super(
      'The order cannot confirm changes right now (it may still apply this one within minutes); check the order, then try again in a minute: a retry never applies it twice',
    );
    this.name = 'OrderBusyError';
  }
}

/** Our deadline (or the server's) cut the update's call short, or the frontend is unreachable. */
export const isUnansweredUpdate = (err: unknown): boolean =>
  err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isUnansweredQuery(err);
