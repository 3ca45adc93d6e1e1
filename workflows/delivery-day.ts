import { ApplicationFailure } from '@temporalio/workflow';
import { CRM_TO_ORDER_STATUS, type DeliveryDaySettings, type OrderView } from '../common/order';
import type { ApprovalAnswer, RatingAnswer } from './messages';

/** Orders started before this patch neither ask for approval nor remind nor ask for a rating. */
export const DELIVERY_DAY_PATCH = 'delivery-day';
/**
 * Orders started before this patch judge the approval's timeout and the reminder by the clock of the task that saw
 * the timer fire, which another worker's replay may not share; later ones by the instant the timer was due.
 */
export const DAY_TIMER_DUE_PATCH = 'delivery-day-timer-due';
/** Orders started before this patch tell the customer nothing when the photo's answer times out. */
export const APPROVAL_TIMEOUT_NOTICE_PATCH = 'approval-timeout-notice';

/** The `CustomerWait` search attribute: what the order waits for from its customer. */
export type CustomerWait = 'approval' | 'rating' | 'none';

const MAX_COMMENT = 500;

const refuse = (type: string, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

/** The validators' answer for an order started without the delivery day. */
export const noDeliveryDay = (): never => refuse('NotAwaited', 'this order asks its customer nothing');

/**
 * The customer's part of the delivery day, free of side effects: the florist's photo to approve, the morning
 * reminder, the stars afterwards. Its state lives in the order's view (approval, rating) and in `reminded`.
 */
export class DeliveryDay {
  reminded = false;
  ratingOpen = false;
  commentOpen = false;

  constructor(
    private readonly order: { view: OrderView },
    readonly settings: DeliveryDaySettings,
    private readonly telegramUserId: number | undefined,
    /** Epoch ms of the morning reminder (worked out at placement); none for orders without one. */
    private readonly reminderAt: number | undefined,
  ) {}

  private get view(): OrderView {
    return this.order.view;
  }

  /** The photo has not been asked about yet, and delivery still waits for an answer (or has none yet). */
  wantsApproval(): boolean {
    const { status, assembledPhotoUrl: photo, approval } = this.view;
    if (status !== 'assembled' || !photo) return false;
    return !approval || (approval.photoUrl !== photo && this.approvalPending);
  }

  ask(now: Date): number {
    const round = (this.view.approval?.round ?? 0) + 1;
    this.view.approval = {
      round,
      photoUrl: this.view.assembledPhotoUrl!,
      state: 'awaiting',
      askedAt: now.toISOString(),
    };
    return round;
  }

  get approvalPending(): boolean {
    const state = this.view.approval?.state;
    return state === 'awaiting' || state === 'change_requested';
  }

  /** Epoch ms when the photo counts as approved, while an answer is awaited. */
  get approvalDeadline(): number | undefined {
    const a = this.view.approval;
    return a?.state === 'awaiting' ? Date.parse(a.askedAt) + this.settings.approvalTimeoutMs : undefined;
  }

  /** A CRM move the order must not follow yet: the courier does not leave before the customer's answer. */
  holds(crmStatus: string): boolean {
    const status = CRM_TO_ORDER_STATUS[crmStatus];
    return this.approvalPending && (status === 'in_delivery' || status === 'delivered');
  }

  assertAnswerable({ telegramUserId, round, decision, comment }: ApprovalAnswer): void {
    this.assertCustomer(telegramUserId);
    const a = this.view.approval;
    if (this.view.status !== 'assembled' || a?.state !== 'awaiting')
      refuse('NotAwaitingApproval', `No photo awaits the customer's answer: the order is ${this.view.status}`);
    if (a!.round !== round) refuse('StalePhoto', `The answer is for photo ${round}; the current one is ${a!.round}`);
    if (decision === 'change' && !comment?.trim()) refuse('InvalidAnswer', 'a change request needs a comment');
    if ((comment?.length ?? 0) > MAX_COMMENT)
      refuse('InvalidAnswer', `a comment has at most ${MAX_COMMENT} characters`);
  }

  answer({ decision, comment }: ApprovalAnswer): void {
    const a = this.view.approval!;
    a.state = decision === 'approve' ? 'approved' : 'change_requested';
    if (comment?.trim()) a.comment = comment.trim();
  }

  timeOut(): void {
    this.view.approval!.state = 'timed_out';
  }

  /** Epoch ms of the morning reminder while it is still to be sent to a paid, undelivered order. */
  get reminderDue(): number | undefined {
    const s = this.view.status;
    const waiting = s === 'paid' || s === 'accepted' || s === 'assembled' || s === 'in_delivery';
    return !this.reminded && waiting ? this.reminderAt : undefined;
  }

  assertRatable({ telegramUserId, stars, comment }: RatingAnswer): void {
    this.assertCustomer(telegramUserId);
    if (this.view.status !== 'delivered' || !(this.ratingOpen || this.commentOpen))
      refuse('NotAwaitingRating', `No rating is awaited: the order is ${this.view.status}`);
    if (stars !== undefined) {
      if (!this.ratingOpen) refuse('AlreadyRated', 'the order has its stars already');
      if (!Number.isInteger(stars) || stars < 1 || stars > 5) refuse('InvalidAnswer', 'stars are 1 to 5');
    } else if (!this.commentOpen) refuse('InvalidAnswer', 'the stars come first');
    if ((comment?.length ?? 0) > MAX_COMMENT)
      refuse('InvalidAnswer', `a comment has at most ${MAX_COMMENT} characters`);
  }

  rate({ stars, comment }: RatingAnswer, now: Date): void {
    if (stars !== undefined) {
      this.view.rating = { stars, at: now.toISOString() };
      this.ratingOpen = false;
      this.commentOpen = true;
    }
    if (comment !== undefined) {
      if (comment.trim()) this.view.rating!.comment = comment.trim();
      this.commentOpen = false;
    }
  }

  get wait(): CustomerWait {
    if (this.approvalPending && this.view.status === 'assembled') return 'approval';
    return this.ratingOpen || this.commentOpen ? 'rating' : 'none';
  }

  /** The operator's line in the current details. */
  details(): string | undefined {
    const a = this.view.approval;
    if (this.wait === 'approval' && a?.state === 'awaiting')
      return `Waiting for the customer's answer to photo ${a.round} until ${new Date(this.approvalDeadline!).toISOString()}`;
    if (this.wait === 'approval')
      return `The customer asked for changes ("${a?.comment ?? ''}"); waiting for the florist's new photo`;
    if (this.ratingOpen) return "Delivered; waiting for the customer's rating";
    if (this.commentOpen) return `Rated ${this.view.rating?.stars}★; waiting for an optional comment`;
    return undefined;
  }

  private assertCustomer(telegramUserId: number): void {
    if (!this.telegramUserId || telegramUserId !== this.telegramUserId)
      refuse('NotYourOrder', 'only the customer who placed the order may answer');
  }
}
