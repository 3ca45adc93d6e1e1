import { ApplicationFailure } from '@temporalio/common';
import type { createKaspiActivities } from './kaspi';

/** Activity names of the first order workflow whose shape changed (workflows/legacy/activities.ts). */
export function createLegacyActivities(kaspi: ReturnType<typeof createKaspiActivities>) {
  return {
    async requestPayment(args: { trackingId: string; phone: string; amountKopecks: number }) {
      const result = await kaspi.requestKaspiPayment({ ...args, attempt: 1 }, true);
      if (result.outcome === 'requested') return { externalId: result.externalId };
      throw ApplicationFailure.create({ type: 'PaymentNotRequested', message: result.reason, nonRetryable: true });
    },
  };
}
