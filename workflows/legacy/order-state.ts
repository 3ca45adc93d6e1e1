import { ApplicationFailure } from '@temporalio/workflow';
import type { OrderStatus } from '../../common/contract';
import {
  CANCELLABLE_STATUSES,
  CRM_TO_ORDER_STATUS,
  type CancelReason,
  type OrderInput,
  type OrderView,
  type PricedOrder,
} from '../../common/order';

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

export interface ExtraPayment {
  externalId: string;
}

/** The order's state and its rules, free of side effects so the workflow body stays a list of steps. */
export class OrderState {
  view: OrderView;
  rejection?: ApplicationFailure;
  cancelRequest?: { by: CancelReason; note?: string };
  /** Payments that arrived but must go back: a second payment, or money after cancellation. */
  readonly refundsDue: ExtraPayment[] = [];
  private readonly extraPayments = new Set<string>();

  constructor(input: OrderInput, now: Date) {
    this.view = {
      trackingId: input.trackingId,
      status: 'new',
      totalKopecks: 0,
      deliveryFeeKopecks: 0,
      items: [],
      delivery: input.delivery,
      recipient: input.recipient,
      customer: { phone: input.customer.phone, name: input.customer.name },
      cardText: input.cardText,
      payment: { status: 'none' },
      crm: {},
      history: [{ status: 'new', at: now.toISOString() }],
    };
  }

  get priced(): boolean {
    return this.view.items.length > 0;
  }

  get finished(): boolean {
    return this.view.status === 'delivered' || this.view.status === 'cancelled';
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
    if (this.cancelRequest || !CANCELLABLE_STATUSES.includes(this.view.status)) {
      const why = this.cancelRequest ? 'already being cancelled' : `the order is ${this.view.status}`;
      throw ApplicationFailure.create({ type: 'NotCancellable', message: `Cannot cancel: ${why}`, nonRetryable: true });
    }
  }

  requestCancel(by: CancelReason, note?: string): void {
    if (!this.cancelRequest && !this.finished) this.cancelRequest = { by, note };
  }

  /** A CRM status from the webhook or the poll: forward moves only, cancellations from the shop. */
  onCrmStatus(crmStatus: string, assembledImage: string | undefined, now: Date): OrderStatus | undefined {
    const status = CRM_TO_ORDER_STATUS[crmStatus];
    if (!status) return undefined;
    this.view.crm.status = crmStatus;
    if (assembledImage) this.view.assembledPhotoUrl = assembledImage;
    if (status === 'cancelled') {
      if (this.view.status !== 'delivered') this.requestCancel('shop', `CRM status ${crmStatus}`);
      return undefined;
    }
    // Before payment the shop's progress is noted but the order waits for the money.
    if (RANK[this.view.status] < RANK.paid || status === 'paid') return undefined;
    return this.advance(status, now) ? status : undefined;
  }

  /** A payment outcome from the poll or the signed callback; each payment counts once. */
  onPayment(externalId: string, kaspiStatus: string): void {
    const payment = this.view.payment;
    const awaited = payment.status === 'requested' || payment.status === 'expired';
    if (kaspiStatus === 'Processed') {
      if (externalId === payment.externalId) {
        if (!awaited) return; // a repeat of the payment we already have
        if (!this.cancelRequest && this.view.status !== 'cancelled' && payment.status === 'requested') {
          this.view.payment = { ...payment, status: 'paid', paidKopecks: this.view.totalKopecks };
        } else {
          payment.status = 'refund_pending';
          this.refundsDue.push({ externalId });
        }
      } else if (!this.extraPayments.has(externalId)) {
        this.extraPayments.add(externalId);
        this.refundsDue.push({ externalId });
      }
    } else if (kaspiStatus === 'Error' && externalId === payment.externalId && payment.status === 'requested') {
      payment.status = 'failed';
      this.requestCancel('payment_failed');
    }
  }

  markCancelled(reason: CancelReason, now: Date): void {
    this.view.cancelReason = reason;
    this.view.status = 'cancelled';
    this.view.history.push({ status: 'cancelled', at: now.toISOString() });
  }

  summary(): string {
    const items = this.view.items.map((i) => `${i.title} ×${i.quantity}`).join(', ');
    const tenge = Math.round(this.view.totalKopecks / 100);
    return `${this.view.trackingId}: ${this.view.status}${this.view.cancelReason ? ` (${this.view.cancelReason})` : ''} · ${items} · ${tenge} ₸ · ${this.view.delivery.date} ${this.view.delivery.slot}`;
  }
}
