import { ApplicationFailure } from '@temporalio/workflow';
import type { OrderStatus } from '../common/contract';
import {
  CANCELLABLE_STATUSES,
  CRM_TO_ORDER_STATUS,
  type CancelReason,
  type OrderInput,
  type OrderView,
  type PricedOrder,
} from '../common/order';
import { notCancellable } from '../common/order-failures';

/** Forward order of the shop's statuses; a lower or equal rank never replaces a higher one. */
const RANK: Record<OrderStatus, number> = {
  new: 0,
  awaiting_payment: 1,
  paid: 2,
  accepted: 3,
  assembled: 4,
  in_delivery: 5,
  delivered: 6,
  cancelled: 7,
};

/** One Kaspi payment request of the order, each run by its own kaspiPaymentWorkflow. */
export interface PaymentAttempt {
  attempt: number;
  phone: string;
  state: 'requesting' | 'requested' | 'in_doubt' | 'withdrawn' | 'kept' | 'returned' | 'refused' | 'failed' | 'expired';
  externalId?: string;
  /** Workflow time (epoch ms) the bill was asked for; absent on attempts of runs before it was kept. */
  askedAt?: number;
}

/** Everything the order knows, carried whole into a continued run. */
export interface OrderMemory {
  view: OrderView;
  attempts: PaymentAttempt[];
  /** Epoch ms: until when the order waits for its money. */
  paymentDeadline?: number;
  remindedAttempt?: number;
  photoShown?: boolean;
  /** Delivery-day version: the morning reminder has gone. */
  deliveryReminded?: boolean;
}

/** What a CRM status means for the order. */
export type CrmOutcome = { moved: OrderStatus } | { cancelled: true } | { conflict: string } | undefined;

/** The order's state and its rules, free of side effects so the workflow reads as a list of steps. */
export class OrderState {
  view: OrderView;
  attempts: PaymentAttempt[] = [];
  paymentDeadline?: number;
  remindedAttempt?: number;
  /** Whether the customer has seen the florist's photo. */
  photoShown?: boolean;
  rejection?: ApplicationFailure;

  constructor(input: OrderInput, now: Date) {
    this.view = {
      trackingId: input.trackingId,
      status: 'new',
      totalKopecks: 0,
      deliveryFeeKopecks: 0,
      items: [],
      delivery: input.delivery,
      recipient: input.recipient,
      customer: {
        phone: input.customer.phone,
        name: input.customer.name,
        telegramUserId: input.customer.telegramUserId,
      },
      cardText: input.cardText,
      payment: { status: 'none' },
      crm: {},
      history: [{ status: 'new', at: now.toISOString() }],
      attention: [],
    };
  }

  memory(): OrderMemory {
    return {
      view: this.view,
      attempts: this.attempts,
      paymentDeadline: this.paymentDeadline,
      remindedAttempt: this.remindedAttempt,
      photoShown: this.photoShown,
    };
  }

  restore(memory: OrderMemory): void {
    Object.assign(this, memory);
    this.view.attention ??= [];
  }

  /** A run of the first workflow version continued as new: it had one paid request and no payment workflow. */
  adoptFirstVersion(view: OrderView): void {
    this.view = { ...view, attention: view.attention ?? [] };
    const { externalId, status } = view.payment;
    if (externalId) {
      this.attempts = [
        { attempt: 1, phone: view.customer.phone, externalId, state: status === 'paid' ? 'kept' : 'expired' },
      ];
    }
  }

  get priced(): boolean {
    return this.view.items.length > 0;
  }

  get finished(): boolean {
    return this.view.status === 'delivered' || this.view.status === 'cancelled';
  }

  get awaitingPayment(): boolean {
    return this.view.status === 'new' || this.view.status === 'awaiting_payment';
  }

  applyPricing(priced: PricedOrder): void {
    this.view = { ...this.view, ...priced };
  }

  /** Moves to `status` if it is ahead of the current one; answers whether it moved. */
  advance(status: OrderStatus, now: Date): boolean {
    if (this.view.status === 'cancelled' || RANK[status] <= RANK[this.view.status]) return false;
    this.view.status = status;
    this.view.history.push({ status, at: now.toISOString() });
    return true;
  }

  assertCancellable(): void {
    if (!CANCELLABLE_STATUSES.includes(this.view.status)) throw notCancellable(this.view.status);
  }

  assertPayable(): void {
    if (!this.awaitingPayment) {
      throw ApplicationFailure.create({
        type: 'NotPayable',
        message: `No payment is awaited: the order is ${this.view.status}`,
        details: [{ status: this.view.status }],
        nonRetryable: true,
      });
    }
  }

  markCancelled(reason: CancelReason, now: Date): void {
    this.view.cancelReason = reason;
    this.view.status = 'cancelled';
    this.view.history.push({ status: 'cancelled', at: now.toISOString() });
  }

  /** A CRM status from the webhook or the poll: forward moves only, cancellations from the shop. */
  onCrmStatus(crmStatus: string, assembledImage: string | undefined, now: Date): CrmOutcome {
    const status = CRM_TO_ORDER_STATUS[crmStatus];
    if (!status) return undefined;
    this.view.crm.status = crmStatus;
    if (assembledImage) this.view.assembledPhotoUrl = assembledImage;
    if (this.view.status === 'cancelled') {
      // The shop carries on with an order we cancelled: someone must look.
      return RANK[status] >= RANK.in_delivery && status !== 'cancelled'
        ? { conflict: `the CRM reports ${crmStatus} for a cancelled order` }
        : undefined;
    }
    if (status === 'cancelled') return this.view.status === 'delivered' ? undefined : { cancelled: true };
    // Before payment the shop's progress is noted but the order waits for the money.
    if (RANK[this.view.status] < RANK.paid || status === 'paid') return undefined;
    return this.advance(status, now) ? { moved: status } : undefined;
  }

  newAttempt(phone: string): PaymentAttempt {
    const attempt: PaymentAttempt = { attempt: this.attempts.length + 1, phone, state: 'requesting' };
    this.attempts.push(attempt);
    this.view.payment = { status: 'requesting', attempt: attempt.attempt, phone };
    return attempt;
  }

  /**
   * The open bill just asked for, to this phone: a second "new bill" within `windowMs` is the same wish (a retry
   * of a request the server held while no worker ran, or a second tap), not a third bill.
   */
  freshBillTo(phone: string, now: number, windowMs: number): boolean {
    const a = this.currentAttempt;
    return (
      !!a &&
      a.phone === phone &&
      (a.state === 'requesting' || a.state === 'requested') &&
      a.askedAt !== undefined &&
      now - a.askedAt < windowMs
    );
  }

  attempt(n: number): PaymentAttempt | undefined {
    return this.attempts.find((a) => a.attempt === n);
  }

  get currentAttempt(): PaymentAttempt | undefined {
    return this.attempts[this.attempts.length - 1];
  }

  get keptAttempt(): PaymentAttempt | undefined {
    return this.attempts.find((a) => a.state === 'kept');
  }

  /** Requests whose money the order would still take or that still need to hear it is not wanted. */
  openAttempts(): PaymentAttempt[] {
    return this.attempts.filter((a) => a.state === 'requesting' || a.state === 'requested' || a.state === 'in_doubt');
  }

  /** Money arrived on attempt `a`: the order keeps it only if it is the request it waits for, and nothing is paid yet. */
  claims(a: PaymentAttempt): boolean {
    return (
      this.awaitingPayment &&
      a === this.currentAttempt &&
      (a.state === 'requested' || a.state === 'in_doubt') &&
      !this.keptAttempt
    );
  }

  /** Records a problem for an operator; answers whether it is new. */
  flag(key: string, reason: string, now: Date): boolean {
    const open = this.view.attention!.find((a) => a.key === key && !a.resolvedAt);
    if (open) {
      open.reason = reason;
      return false;
    }
    this.view.attention!.push({ key, reason, at: now.toISOString() });
    return true;
  }

  resolve(key: string, now: Date): boolean {
    const open = this.view.attention!.find((a) => a.key === key && !a.resolvedAt);
    if (open) open.resolvedAt = now.toISOString();
    return !!open;
  }

  get needsAttention(): boolean {
    return this.view.attention!.some((a) => !a.resolvedAt);
  }

  summary({ withStatus = true } = {}): string {
    const items = this.view.items.map((i) => `${i.title} ×${i.quantity}`).join(', ');
    const tenge = Math.round(this.view.totalKopecks / 100);
    const status = withStatus
      ? `: ${this.view.status}${this.view.cancelReason ? ` (${this.view.cancelReason})` : ''}`
      : '';
    return `${this.view.trackingId}${status} · ${items} · ${tenge} ₸ · ${this.view.delivery.date} ${this.view.delivery.slot}`;
  }

  /** What the order waits for, for the Web UI's current details. */
  details(): string {
    const lines: string[] = [];
    const open = this.view.attention!.filter((a) => !a.resolvedAt);
    if (open.length) lines.push(`**Needs attention**: ${open.map((a) => `${a.key}: ${a.reason}`).join('; ')}`);
    const payment = this.view.payment;
    if (this.awaitingPayment) {
      const until = this.paymentDeadline ? new Date(this.paymentDeadline).toISOString() : 'unknown';
      lines.push(`Waiting for Kaspi payment (attempt ${payment.attempt ?? '-'}, ${payment.status}) until ${until}`);
    } else if (!this.finished) {
      lines.push(
        `Paid; following the shop (CRM order ${this.view.crm.orderId ?? 'not created yet'}, status ${this.view.crm.status ?? '-'})`,
      );
    } else {
      lines.push(`Finished: ${this.view.status}`);
    }
    return lines.join('\n');
  }
}
