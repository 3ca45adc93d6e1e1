import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ORDER_ERRORS } from '../common/order';
import { isClosedWorkflowError } from '../common/order-failures';
import { IdempotencyMismatchError } from '../orders/order-client';
import { SlotFullError } from '../orders/slots';
import { OrderUnavailableError, STATUS_RETRY_AFTER_S } from '../orders/status-fallback';
import { OrderBusyError, OrderNotConfirmedError, UPDATE_RETRY_AFTER_S } from '../orders/update-deadline';
import { HttpError } from './errors';

const STATUS_BY_TYPE: Record<string, [number, string]> = {
  [ORDER_ERRORS.invalid]: [400, 'invalid_order'],
  [ORDER_ERRORS.productUnknown]: [422, 'product_unknown'],
  [ORDER_ERRORS.productUnavailable]: [409, 'product_unavailable'],
  NotCancellable: [409, 'not_cancellable'],
  NotPayable: [409, 'not_payable'],
};

/** Turns a workflow's business rejection into the HTTP error it means; anything else is re-thrown. */
export function toHttpError(err: unknown): never {
  if (err instanceof WorkflowNotFoundError) throw new HttpError(404, 'not_found', 'No such order');
  if (err instanceof SlotFullError)
    throw new HttpError(409, 'slot_full', err.message, { ...err.place, nextFree: err.nextFree });
  if (err instanceof OrderUnavailableError)
    throw new HttpError(503, 'order_unavailable', err.message, undefined, {
      'Retry-After': String(STATUS_RETRY_AFTER_S),
    });
  if (err instanceof OrderBusyError) {
    // No Retry-After for an order placed: a retry without its Idempotency-Key would be a second order.
    const retryAfter =
      err instanceof OrderNotConfirmedError ? undefined : { 'Retry-After': String(UPDATE_RETRY_AFTER_S) };
    throw new HttpError(503, 'order_busy', err.message, { trackingId: err.trackingId }, retryAfter);
  }
  if (err instanceof IdempotencyMismatchError) throw new HttpError(422, 'idempotency_mismatch', err.message);
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && STATUS_BY_TYPE[cause.type]) {
    const [status, code] = STATUS_BY_TYPE[cause.type];
    throw new HttpError(status, code, cause.message, cause.details?.[0]);
  }
  if (isClosedWorkflowError(err)) throw new HttpError(409, 'order_closed', 'The order is already closed');
  throw err;
}
