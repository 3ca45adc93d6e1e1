import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ORDER_ERRORS, type OrderRequest } from '../../common/order';
import { SlotFullError } from '../../orders/slots';
import { OrderNotConfirmedError } from '../../orders/update-deadline';
import type { BotDeps } from '../context';

/** Plain data only: the conversation keeps this in its replay log. `field` names what the workflow refused. */
export type PlaceResult =
  | { ok: true; trackingId: string; totalKopecks: number }
  | { ok: false; reason: 'invalid'; field?: string }
  | { ok: false; reason: 'unavailable' | 'slotFull' | 'failed' }
  | { ok: false; reason: 'busy'; trackingId: string };

/** Starts the order workflow; the same key (one checkout) always lands on the same order. */
export async function placeOrder(deps: BotDeps, request: OrderRequest, idempotencyKey: string): Promise<PlaceResult> {
  try {
    const { view } = await deps.orders.place(request, idempotencyKey);
    return { ok: true, trackingId: view.trackingId, totalKopecks: view.totalKopecks };
  } catch (err) {
    if (err instanceof SlotFullError) return { ok: false, reason: 'slotFull' };
    // Started, not priced yet (no worker in time): it goes ahead on its own, and a repeat would land on it.
    if (err instanceof OrderNotConfirmedError) return { ok: false, reason: 'busy', trackingId: err.trackingId };
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
    if (cause instanceof ApplicationFailure && cause.type === ORDER_ERRORS.invalid) {
      const details = cause.details?.[0] as { field?: unknown } | undefined;
      return { ok: false, reason: 'invalid', field: typeof details?.field === 'string' ? details.field : undefined };
    }
    if (
      cause instanceof ApplicationFailure &&
      (cause.type === ORDER_ERRORS.productUnavailable || cause.type === ORDER_ERRORS.productUnknown)
    ) {
      return { ok: false, reason: 'unavailable' };
    }
    deps.logger.error({ error: (err as Error).message }, 'bot: placing an order failed');
    return { ok: false, reason: 'failed' };
  }
}
