import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { LegacyOrderActivities as OrderActivities } from './activities';
import { ORDER_ERRORS } from '../../common/order';

/** Activity profiles of the order workflow: one per kind of outside call. */
export const pricing = proxyLocalActivities<OrderActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: Object.values(ORDER_ERRORS) },
});

/** Our own database: retried until it answers. */
export const records = proxyActivities<OrderActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/** The CRM must never block the customer: retried with backoff for up to a day. */
export const crm = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m' },
});

/** One CRM read in a poll: a failure only waits for the next poll. */
export const crmPoll = proxyActivities<OrderActivities>({ startToCloseTimeout: '20s', retry: { maximumAttempts: 2 } });

export const kaspi = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', maximumInterval: '1m', maximumAttempts: 10 },
});

export const kaspiPoll = proxyActivities<OrderActivities>({
  startToCloseTimeout: '15s',
  retry: { maximumAttempts: 2 },
});

/** Refunds never give up: a failing one stays visible as a retrying activity in the Web UI. */
export const refunds = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '5s', maximumInterval: '10m' },
});

export const notifications = proxyActivities<OrderActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '2s', maximumAttempts: 5 },
});
