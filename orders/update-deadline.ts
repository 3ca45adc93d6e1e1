import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { isUnansweredQuery } from './status-fallback';

/** How long the API and the bot wait for a worker to take an order's update (cancel, new bill, answers). */
export const UPDATE_TIMEOUT_MS = 5_000;

/**
 * How long placing an order waits for a worker to price it. Longer than an update's: it is the customer's first
 * answer, and a busy worker prices within a few seconds.
 */
export const PLACE_TIMEOUT_MS = 15_000;

/** Seconds a caller should wait before sending the change again. */
export const UPDATE_RETRY_AFTER_S = 30;

/**
 * No worker took the update in time (all workers down, or Temporal unreachable); answered 503 `order_busy`.
 * The server may still hold it (admitted, not durable) and apply it when a worker returns: callers give each
 * update an id of its own meaning, so that a retry lands on the same update instead of a second one.
 */
export class OrderBusyError extends Error {
  constructor(
    readonly trackingId: string,
    message = 'The order cannot confirm changes right now (it may still apply this one within minutes); check the order, then try again in a minute: a retry never applies it twice',
  ) {
    super(message);
    this.name = 'OrderBusyError';
  }
}

/**
 * The order was started but no worker priced it in time; answered 503 `order_busy` with its tracking id. It goes
 * ahead once a worker returns (its bill then reaches the customer); the same Idempotency-Key lands on it again.
 */
export class OrderNotConfirmedError extends OrderBusyError {
  constructor(trackingId: string) {
    super(
      trackingId,
      `Order ${trackingId} was taken but not confirmed in time; it may still go ahead within minutes. Check it before trying again: the same Idempotency-Key never places a second order, a request without one does`,
    );
    this.name = 'OrderNotConfirmedError';
  }
}

/** Our deadline (or the server's) cut the update's call short, or the frontend is unreachable. */
export const isUnansweredUpdate = (err: unknown): boolean =>
  err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isUnansweredQuery(err);
