import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { OrderActivities } from '../activities';
import { ORDER_ERRORS } from '../common/order';

/** Activity profiles of the order and its payments: one per kind of outside call. */
export const pricing = proxyLocalActivities<OrderActivities>({
  summary: 'price the order from the catalog',
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: Object.values(ORDER_ERRORS) },
});

/** Our own database: retried while it is unreachable; a write it rejects fails at once (activities/db-errors.ts). */
const ORDER_WRITE = {
  summary: 'write the order to the database',
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
} as const;
/** Read-model writes behind the order's steps: after an hour of failing they are flagged and the lane moves on. */
const STEP_WRITE = { ...ORDER_WRITE, summary: 'record a step in the database', scheduleToCloseTimeout: '1h' } as const;

export const records = proxyActivities<OrderActivities>(ORDER_WRITE);
export const laneRecords = proxyActivities<OrderActivities>(STEP_WRITE);
/**
 * The same writes as local activities (patch 'local-records'): short and idempotent, they run in the worker that
 * holds the workflow task, with no task-queue round trip and no activity events in the history.
 */
export const localRecords = proxyLocalActivities<OrderActivities>(ORDER_WRITE);
export const localLaneRecords = proxyLocalActivities<OrderActivities>(STEP_WRITE);

/** The CRM must never block the customer: retried with backoff for up to a day (by default), then flagged. */
export const crmProxy = (giveUpMs: number) =>
  proxyActivities<OrderActivities>({
    summary: 'tell the CRM',
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: giveUpMs,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m' },
  });

/** One CRM read in a poll: a failure only waits for the next poll. */
export const crmPoll = proxyActivities<OrderActivities>({
  summary: 'read the order in the CRM',
  startToCloseTimeout: '20s',
  retry: { maximumAttempts: 2 },
});

/** A Kaspi request: retried only while the proxy says it did nothing (the activity decides, see activities/kaspi.ts). */
const KASPI_REQUEST = {
  summary: 'ask Kaspi for payment',
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', maximumInterval: '1m', maximumAttempts: 10 },
} as const;
const KASPI_LOOK = {
  summary: 'look at the Kaspi bill',
  startToCloseTimeout: '15s',
  retry: { maximumAttempts: 2 },
} as const;

export const kaspi = proxyActivities<OrderActivities>(KASPI_REQUEST);
export const kaspiPoll = proxyActivities<OrderActivities>(KASPI_LOOK);
/**
 * The same calls as local activities (patch 'bill-local-calls'): the bill's workflow runs them in the task that
 * asks, and tells the order in that same task. A wait between tries longer than a second is a timer, not a task held
 * open.
 */
export const localKaspi = proxyLocalActivities<OrderActivities>({ ...KASPI_REQUEST, localRetryThreshold: '1s' });
export const localKaspiPoll = proxyLocalActivities<OrderActivities>({ ...KASPI_LOOK, localRetryThreshold: '1s' });
export const localKeptMark = proxyLocalActivities<OrderActivities>({ ...ORDER_WRITE, localRetryThreshold: '1s' });

/** A server-paced watch of a bill: the look is retried every `everyMs` (activities' awaitBillSettled) for `forMs`. */
export const kaspiWatch = (everyMs: number, forMs: number) =>
  proxyActivities<OrderActivities>({
    summary: 'wait for the Kaspi bill to settle',
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: forMs,
    retry: { initialInterval: everyMs, backoffCoefficient: 1, maximumInterval: everyMs },
  });

/** Refunds never give up: a failing one stays visible as a retrying activity in the Web UI. */
export const refunds = proxyActivities<OrderActivities>({
  summary: 'return money through Kaspi',
  startToCloseTimeout: '30s',
  retry: { initialInterval: '5s', maximumInterval: '10m' },
});

/** Telegram: a 429 waits as long as it says; five refusals and the message is flagged on the order. */
export const notifications = proxyActivities<OrderActivities>({
  summary: 'message the customer',
  startToCloseTimeout: '20s',
  retry: { initialInterval: '2s', maximumAttempts: 5 },
});
