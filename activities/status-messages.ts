import type { createNotificationActivities, NotifyRequest } from './notifications';
import type { createOrderRecordActivities, RecordStep } from './order-records';

/** The two activities this one is made of, as the worker builds them. */
type Parts = Pick<ReturnType<typeof createNotificationActivities>, 'notifyCustomer'> &
  Pick<ReturnType<typeof createOrderRecordActivities>, 'recordSteps'>;

export type StatusMessageRequest = NotifyRequest & { trackingId: string; steps: RecordStep[] };

/**
 * A status change's message and its record in one activity (one task and one round trip of the workflow instead of
 * two). The steps are written beside the message, not after it: the first attempt writes them whatever Telegram
 * answers. (The workflow's record lane still waits for this activity to end before its next writes.)
 */
export function createStatusMessageActivities({ notifyCustomer, recordSteps }: Parts) {
  return {
    /**
     * A failing message is thrown once the steps are written; its retry writes them again, which changes nothing.
     * Steps that fail while the message settles are not retried here, which would lose the message's outcome: they
     * come back `unwritten` for the record lane to write. A step the database refuses for good is returned, as
     * `recordSteps` returns it.
     */
    async notifyWithSteps({ trackingId, steps, ...message }: StatusMessageRequest) {
      const [written, sent] = await Promise.allSettled([recordSteps({ trackingId, steps }), notifyCustomer(message)]);
      if (sent.status === 'rejected') throw sent.reason;
      if (written.status === 'rejected') return { outcome: sent.value.outcome, refused: [], unwritten: true };
      return { outcome: sent.value.outcome, refused: written.value.refused, unwritten: false };
    },
  };
}
