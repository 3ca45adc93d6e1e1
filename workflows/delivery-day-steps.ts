import { condition, patched } from '@temporalio/workflow';
import type { NotificationEvent } from '../activities/notification-texts';
import { APPROVAL_TIMEOUT_NOTICE_PATCH, DAY_TIMER_DUE_PATCH, type DeliveryDay } from './delivery-day';
import type { Lane } from './lane';
import type { ApprovalAnswer, RatingAnswer } from './messages';
import { crmProxy, laneRecords } from './order-activities';
import type { OrderState } from './order-state';

type Decision = 'awaiting' | 'approved' | 'change_requested' | 'timed_out';

/** What the delivery day needs from its order: its state, its lanes, and the order's own ways to speak and move. */
export interface DeliveryDayDeps {
  day: DeliveryDay;
  order: OrderState;
  trackingId: string;
  chatId?: number;
  crm: ReturnType<typeof crmProxy>;
  crmLane: Lane;
  recordLane: Lane;
  notify(event: NotificationEvent, key?: string): void;
  publish(): void;
  /** Makes the main loop read its timers again. */
  wake(): void;
  applyCrm(status: string): void;
}

/** The order's steps of the delivery day (issue 15): ask about the photo, hear the answer, remind, collect the rating. */
export function deliveryDaySteps({ day, order, trackingId, chatId, crm, crmLane, recordLane, ...o }: DeliveryDayDeps) {
  // Asked once, as the order starts: an order keeps the behaviour it started with for the whole run.
  const judgeByDueTime = patched(DAY_TIMER_DUE_PATCH);
  const noticeTimeout = patched(APPROVAL_TIMEOUT_NOTICE_PATCH);

  function tellCrm(decision: Decision): void {
    const { round, photoUrl, comment } = order.view.approval!;
    crmLane.run(`crm:approval:${round}:${decision}`, async () => {
      const crmOrderId = order.view.crm.orderId;
      const key = `${trackingId}:approval:${round}:${decision}`;
      if (crmOrderId) await crm.sendCustomerApproval({ crmOrderId, key, decision, photoUrl, comment });
    });
  }

  /** Approved or timed out: the courier may leave, and a move the CRM made meanwhile is caught up. */
  function settled(): void {
    o.publish();
    if (!day.approvalPending && order.view.crm.status) o.applyCrm(order.view.crm.status);
  }

  return {
    /** Sends the florist's photo with "Всё отлично" / "Попросить изменить" when the customer has not seen it. */
    askApproval(): boolean {
      if (!chatId || !day.wantsApproval()) return false;
      const round = day.ask(new Date());
      o.publish();
      o.wake();
      o.notify('approval_request', `approval_request:${round}`);
      tellCrm('awaiting');
      return true;
    },

    answer(answer: ApprovalAnswer): void {
      day.answer(answer);
      tellCrm(answer.decision === 'approve' ? 'approved' : 'change_requested');
      settled();
      o.wake();
    },

    rate(answer: RatingAnswer): void {
      day.rate(answer, new Date());
      o.publish();
    },

    /**
     * The approval's timeout or the morning reminder, whichever is due at `reached`: the instant the main loop's
     * timer was due, which the history fixes (this task's clock may differ on a worker that replays it).
     */
    onTimer(reached?: number): void {
      const now = judgeByDueTime && reached !== undefined ? reached : Date.now();
      if (day.approvalDeadline !== undefined && now >= day.approvalDeadline) {
        day.timeOut();
        tellCrm('timed_out');
        // Told before the courier's news that the timeout may release (settled() catches up with the CRM).
        if (noticeTimeout) o.notify('approval_timed_out', `approval_timed_out:${order.view.approval!.round}`);
        settled();
      }
      if (day.reminderDue !== undefined && now >= day.reminderDue) {
        day.reminded = true;
        o.notify('delivery_reminder');
      }
    },

    /** After delivery: the stars (or the timeout), then the optional comment; kept in the database and the CRM. */
    async collectRating(): Promise<void> {
      if (!chatId || order.view.status !== 'delivered') return;
      day.ratingOpen = true;
      o.publish();
      o.notify('rating_request');
      const { ratingTimeoutMs, ratingCommentMs } = day.settings;
      if (await condition(() => !day.ratingOpen, ratingTimeoutMs, { summary: 'wait for the rating' }))
        await condition(() => !day.commentOpen, ratingCommentMs, { summary: 'wait for a comment' });
      day.ratingOpen = day.commentOpen = false;
      o.publish();
      const rating = order.view.rating;
      if (!rating) return;
      recordLane.run('record:rating', () => laneRecords.recordRating({ trackingId, ...rating }));
      crmLane.run('crm:rating', async () => {
        const crmOrderId = order.view.crm.orderId;
        const { stars, comment } = rating;
        if (crmOrderId) await crm.sendRating({ crmOrderId, key: `${trackingId}:rating`, stars, comment });
      });
    },
  };
}
