import { createHash } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowFailedError,
  type WorkflowUpdateOptions,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { ORDER_WORKFLOW_TYPE, TASK_QUEUE, orderWorkflowId } from '../common/contract';
import {
  ORDER_ERRORS,
  REPEAT_BILL_WINDOW_MS,
  type OrderInput,
  type OrderRequest,
  type OrderSettings,
  type OrderView,
} from '../common/order';
import type { Prisma, PrismaClient } from '../db/client';
import {
  answerApprovalUpdate,
  cancelUpdate,
  pricedUpdate,
  rateOrderUpdate,
  requestNewPaymentUpdate,
  statusQuery,
  type ApprovalAnswer,
  type RatingAnswer,
} from '../workflows/messages';
import { isClosedWorkflowError, notCancellable } from '../common/order-failures';
import { phoneSearchHash } from '../common/phone-hash';
import { shopInstant } from '../common/shop-time';
import { orderSearchAttributes as sa } from '../workflows/search-attributes';
import { orderViewFromRecords } from './order-records-view';
import { releaseSlot, reserveSlot, SlotFullError, type SlotPlace, type Slots } from './slots';
import {
  isLiveViewUnavailable,
  OrderUnavailableError,
  STATUS_QUERY_TIMEOUT_MS,
  type StatusView,
} from './status-fallback';
import { newTrackingId } from './tracking-id';
import {
  isUnansweredUpdate,
  OrderBusyError,
  OrderNotConfirmedError,
  PLACE_TIMEOUT_MS,
  UPDATE_TIMEOUT_MS,
} from './update-deadline';

export interface OrderClientDeps {
  temporal: Client;
  prisma: PrismaClient;
  settings: OrderSettings;
  /** PHONE_HASH_KEY: the order's search attribute holds this keyed hash of the phone, never the number. */
  phoneHashKey?: string;
  /** Delivery slot capacity: placing an order takes a place, a rejected order gives it back. */
  slots: Slots;
  /** How long a status query waits for a worker before the database answers (default STATUS_QUERY_TIMEOUT_MS). */
  statusQueryTimeoutMs?: number;
  /** How long an update waits for a worker to take it before OrderBusyError (default UPDATE_TIMEOUT_MS). */
  updateTimeoutMs?: number;
  /** How long placing waits for a worker to price the order before OrderNotConfirmedError (PLACE_TIMEOUT_MS). */
  placeTimeoutMs?: number;
  /** Told when the live view failed and the records answered instead (for the log). */
  onLiveViewFailed?: (trackingId: string, err: unknown) => void;
}

export type OrderClient = ReturnType<typeof createOrderClient>;

/** A used Idempotency-Key sent again with a different request (answered 422 `idempotency_mismatch`). */
export class IdempotencyMismatchError extends Error {
  constructor() {
    super('This Idempotency-Key was used with a different request; use a new key for a new order');
    this.name = 'IdempotencyMismatchError';
  }
}

/** The workflow refused the order (pricing): nothing was started for it. */
const isRejection = (err: unknown) =>
  (err instanceof WorkflowUpdateFailedError ? err.cause : err) instanceof ApplicationFailure;

/** Whose keys a key belongs to when the caller names no scope: the Telegram user, else the customer's phone. */
export const defaultIdempotencyScope = (request: OrderRequest): string =>
  request.customer.telegramUserId ? `tg:${request.customer.telegramUserId}` : `phone:${request.customer.phone}`;

/** SHA-256 of the request as canonical JSON (sorted keys), so the same order in another key order matches. */
export function requestHash(request: OrderRequest): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('hex');
}

/** The workflow's refusals of an order (pricing); any other failure is not the caller's to hear. */
const REFUSALS = new Set<string>(Object.values(ORDER_ERRORS));

/** How long placing asks whether an unanswered order was started at all. */
const EXISTS_CHECK_MS = 3_000;

/** Orders racing for one slot queue on its row; give them time for the pool and the lock. */
const RESERVATION_TX = { maxWait: 15_000, timeout: 15_000 };

/** Thrown inside the reservation's transaction so that it rolls back (the key's claim with it). */
class SlotRefused extends Error {}

/**
 * How the API and the bot place, read and cancel orders: start the workflow, query it, update it.
 * Business rejections surface as the workflow's typed failures (see api/temporal-errors.ts).
 */
export function createOrderClient({
  temporal,
  prisma,
  settings,
  phoneHashKey,
  slots,
  statusQueryTimeoutMs = STATUS_QUERY_TIMEOUT_MS,
  updateTimeoutMs = UPDATE_TIMEOUT_MS,
  placeTimeoutMs = PLACE_TIMEOUT_MS,
  onLiveViewFailed,
}: OrderClientDeps) {
  const handle = (trackingId: string) => temporal.workflow.getHandle(orderWorkflowId(trackingId));

  /**
   * Sends an update and waits at most `updateTimeoutMs` for its result: with no worker the SDK would wait for
   * ever. Unanswered: OrderBusyError. The server may still apply it later, hence the callers' stable update ids.
   */
  async function update<Ret, Args extends [unknown, ...unknown[]]>(
    trackingId: string,
    def: UpdateDefinition<Ret, Args>,
    options: WorkflowUpdateOptions & { args: Args },
  ): Promise<Ret> {
    try {
      const deadline = Date.now() + updateTimeoutMs;
      return await temporal.withDeadline(deadline, () => handle(trackingId).executeUpdate(def, options));
    } catch (err) {
      if (isUnansweredUpdate(err)) throw new OrderBusyError(trackingId);
      throw err;
    }
  }
  const hashOf = (request: OrderRequest) =>
    phoneHashKey ? phoneSearchHash(phoneHashKey, request.customer.phone) : undefined;

  /** Takes a place in the order's slot, in one transaction with `first` (the key's claim); refused: SlotFullError. */
  async function reserve<T>(
    place: SlotPlace,
    trackingId: string,
    first: (tx: Prisma.TransactionClient) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    try {
      return await prisma.$transaction(async (tx) => {
        const claimed = await first(tx);
        if (claimed === undefined) return undefined;
        if (!(await reserveSlot(tx, slots.rules, trackingId, place))) throw new SlotRefused();
        return claimed;
      }, RESERVATION_TX);
    } catch (err) {
      if (err instanceof SlotRefused) throw new SlotFullError(place, await slots.nextFree(place));
      throw err;
    }
  }

  /**
   * Claims (scope, key) for this request and reserves its slot, or finds who claimed it first (whose slot is
   * reserved already); a claim always names a tracking id. A full slot rolls the claim back.
   */
  async function claim(
    scope: string,
    key: string,
    hash: string,
    place: SlotPlace,
  ): Promise<{ trackingId: string; fresh: boolean }> {
    for (;;) {
      const trackingId = newTrackingId();
      const claimed = await reserve(place, trackingId, async (tx) => {
        const { count } = await tx.idempotencyKey.createMany({
          data: [{ scope, key, requestHash: hash, trackingId }],
          skipDuplicates: true,
        });
        return count === 1 ? true : undefined;
      });
      if (claimed) return { trackingId, fresh: true };
      const earlier = await prisma.idempotencyKey.findUnique({ where: { scope_key: { scope, key } } });
      if (!earlier) continue; // released by a rejected order in between: claim it again
      if (earlier.requestHash !== hash) throw new IdempotencyMismatchError();
      return { trackingId: earlier.trackingId, fresh: false };
    }
  }

  /** A rejected order gives its key and its place back together. */
  const releaseRejected = (trackingId: string, scope?: string, key?: string) =>
    prisma.$transaction(async (tx) => {
      if (scope && key) await tx.idempotencyKey.deleteMany({ where: { scope, key, trackingId } });
      await releaseSlot(tx, trackingId);
    });

  async function start(trackingId: string, order: OrderInput): Promise<OrderView> {
    const input = { ...order, deliveryReminderAt: reminderFor(order) };
    const operation = new WithStartWorkflowOperation(ORDER_WORKFLOW_TYPE, {
      workflowId: orderWorkflowId(trackingId),
      taskQueue: TASK_QUEUE,
      args: [input],
      // The same key racing in twice lands on the one running order; a closed one is never started again.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // What an operator sees in the Web UI from the first moment (no personal data: payloads are encrypted, these are not).
      staticSummary: `Order ${trackingId} for ${input.delivery.date} ${input.delivery.slot} (${input.delivery.type})`,
      staticDetails: `Bouquets: ${input.items.map((i) => `${i.productId} ×${i.quantity}`).join(', ')}`,
      typedSearchAttributes: [
        { key: sa.trackingId, value: trackingId },
        { key: sa.status, value: 'new' },
        { key: sa.paymentState, value: 'none' },
        { key: sa.needsAttention, value: false },
        { key: sa.deliveryDate, value: new Date(`${input.delivery.date}T00:00:00+05:00`) },
        ...(input.customerPhoneHash ? [{ key: sa.customerPhoneHash, value: input.customerPhoneHash }] : []),
      ],
    });
    try {
      const deadline = Date.now() + placeTimeoutMs;
      return await temporal.withDeadline(deadline, () =>
        temporal.workflow.executeUpdateWithStart(pricedUpdate, { startWorkflowOperation: operation }),
      );
    } catch (err) {
      // With no worker the SDK would wait for ever. Started, the order goes ahead later; not started, the same key
      // starts it on a retry.
      if (isUnansweredUpdate(err) && (await exists(trackingId))) throw new OrderNotConfirmedError(trackingId);
      throw err;
    }
  }

  /** Whether the order's workflow exists, asked with a short deadline: not knowing counts as not. */
  async function exists(trackingId: string): Promise<boolean> {
    const deadline = Date.now() + EXISTS_CHECK_MS;
    return temporal
      .withDeadline(deadline, () => handle(trackingId).describe())
      .then(
        () => true,
        () => false,
      );
  }

  /** The refusal of an order that closed refused (pricing answered after its caller stopped waiting), if so. */
  async function refusalOf(trackingId: string): Promise<ApplicationFailure | undefined> {
    const failure = await handle(trackingId)
      .result()
      .then(
        () => undefined,
        (err: unknown) => (err instanceof WorkflowFailedError ? err.cause : undefined),
      );
    const refused = failure instanceof ApplicationFailure && REFUSALS.has(failure.type ?? '');
    return refused ? failure : undefined;
  }

  /** The morning of the delivery date in shop time, unless that has passed already (the customer just saw it all). */
  function reminderFor(order: OrderRequest): string | undefined {
    const day = settings.deliveryDay;
    if (!day) return undefined;
    const at = shopInstant(order.delivery.date, day.reminderAt, day.shopTimeZone);
    return at.getTime() > Date.now() ? at.toISOString() : undefined;
  }

  const orders = {
    /**
     * Starts the order and answers once it is priced. An Idempotency-Key belongs to its caller's `scope`
     * (default: the Telegram user, else the phone): the same key with the same request answers the same
     * order, with another request IdempotencyMismatchError; a key whose order was rejected is free again.
     * The order takes a place in its delivery slot first; a full slot is SlotFullError and nothing starts.
     */
    async place(
      request: OrderRequest,
      idempotencyKey?: string,
      scope = defaultIdempotencyScope(request),
    ): Promise<{ view: OrderView; created: boolean }> {
      const place = { date: request.delivery.date, slot: request.delivery.slot };
      if (!idempotencyKey) {
        const trackingId = newTrackingId();
        await reserve(place, trackingId, async () => true);
        try {
          const input = { ...request, trackingId, settings, customerPhoneHash: hashOf(request) };
          return { view: await start(trackingId, input), created: true };
        } catch (err) {
          if (isRejection(err)) await releaseRejected(trackingId);
          throw err;
        }
      }
      const { trackingId, fresh } = await claim(scope, idempotencyKey, requestHash(request), place);
      // Stored as `<scope>:<key>`: the same key of two callers is two orders.
      const input: OrderInput = {
        ...request,
        trackingId,
        idempotencyKey: `${scope}:${idempotencyKey}`,
        settings,
        customerPhoneHash: hashOf(request),
      };
      try {
        return { view: await start(trackingId, input), created: fresh };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
          if (isRejection(err)) await releaseRejected(trackingId, scope, idempotencyKey);
          throw err;
        }
        // Closed already: delivered or cancelled is the order; refused after the first call stopped waiting is that
        // refusal, its place and key given back as if it had come at once.
        const refusal = await refusalOf(trackingId);
        if (!refusal) return { view: await orders.status(trackingId), created: false };
        await releaseRejected(trackingId, scope, idempotencyKey);
        throw refusal;
      }
    },

    /**
     * The live view; the database's (`source: 'records'`) once Temporal no longer has the order, or while no
     * worker answers within `statusQueryTimeoutMs`. Not recorded yet and unanswered: OrderUnavailableError.
     */
    async status(trackingId: string): Promise<StatusView> {
      try {
        const deadline = Date.now() + statusQueryTimeoutMs;
        return await temporal.withDeadline(deadline, () => handle(trackingId).query(statusQuery));
      } catch (err) {
        // Reading an order must not fail because its live view cannot be had right now: the records answer.
        const unanswered = isLiveViewUnavailable(err);
        if (!unanswered && !(err instanceof WorkflowNotFoundError)) throw err;
        if (!(err instanceof WorkflowNotFoundError)) onLiveViewFailed?.(trackingId, err);
        const recorded = await orderViewFromRecords(prisma, trackingId);
        if (recorded) return { ...recorded, source: 'records' };
        throw unanswered ? new OrderUnavailableError(trackingId) : err;
      }
    },

    /**
     * One cancellation per order: a repeat answers the same view (Temporal deduplicates by update id), also a
     * retry after OrderBusyError whose first attempt the server held and applied once a worker came back.
     */
    async cancel(trackingId: string, reason?: string): Promise<OrderView> {
      try {
        return await update(trackingId, cancelUpdate, { args: [{ reason }], updateId: 'cancel' });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) && !isClosedWorkflowError(err)) throw err;
        const recorded = await orderViewFromRecords(prisma, trackingId);
        if (!recorded) throw err;
        throw notCancellable(recorded.status);
      }
    },

    /**
     * Withdraws the open Kaspi bill and sends a new one to `phone` (+7XXXXXXXXXX). `afterAttempt` is the bill the
     * caller saw (read here when not given): the update's id names it, the number's last four digits (as public
     * as the masked view) and the two minutes it falls in, so a retry after OrderBusyError is the same request,
     * never a second bill; the workflow answers a repeat in those minutes with the bill just sent, and a wish
     * minutes later ("the bill did not come") is a new request.
     */
    async requestNewPayment(trackingId: string, phone: string, afterAttempt?: number): Promise<OrderView> {
      const seen = afterAttempt ?? (await orders.status(trackingId)).payment.attempt ?? 0;
      const window = Math.floor(Date.now() / REPEAT_BILL_WINDOW_MS);
      const updateId = `new-payment:after-${seen}:${phone.slice(-4)}:${window}`;
      return update(trackingId, requestNewPaymentUpdate, { args: [{ phone }], updateId });
    },

    /** The customer's answer to the florist's photo (the workflow checks who, when and which photo). */
    answerApproval: (trackingId: string, answer: ApprovalAnswer): Promise<OrderView> =>
      update(trackingId, answerApprovalUpdate, { args: [answer] }),

    /** The stars after delivery, then the optional comment. */
    rate: (trackingId: string, answer: RatingAnswer): Promise<OrderView> =>
      update(trackingId, rateOrderUpdate, { args: [answer] }),
  };
  return orders;
}
