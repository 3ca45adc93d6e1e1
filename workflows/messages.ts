import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderView } from '../common/order';

/** Message definitions of orderWorkflow and kaspiPaymentWorkflow; the API and the bot import these objects, never names. */
export const statusQuery = defineQuery<OrderView>('status');

/** Waits for the pricing step: the API starts the workflow with this update in one call. */
export const pricedUpdate = defineUpdate<OrderView>('priced');

export interface CancelRequest {
  reason?: string;
}
/** Takes effect in the handler itself: the answer is the cancelled order. */
export const cancelUpdate = defineUpdate<OrderView, [CancelRequest]>('cancel');

/** The customer's Kaspi is on another number, or the bill never came: withdraw it and bill this phone. */
export interface NewPaymentRequest {
  phone: string;
}
export const requestNewPaymentUpdate = defineUpdate<OrderView, [NewPaymentRequest]>('requestNewPayment');

export interface CrmStatusEvent {
  status: string;
  assembledImage?: string;
}
export const crmStatusSignal = defineSignal<[CrmStatusEvent]>('crmStatus');

/** A Kaspi event for the first workflow version (kept for its histories; new orders hear from their payments). */
export interface PaymentEvent {
  externalId: string;
  status: string;
}
export const paymentSignal = defineSignal<[PaymentEvent]>('payment');

/** From a payment request to its order: what became of attempt `attempt`. */
export type PaymentReport =
  | { attempt: number; state: 'requested'; externalId: string; recordError?: string }
  | { attempt: number; state: 'refused' | 'in_doubt'; reason: string }
  | { attempt: number; state: 'paid'; externalId: string }
  | { attempt: number; state: 'failed' | 'expired' }
  | { attempt: number; state: 'refunded'; externalId: string; refundedKopecks: number };
export const paymentReportSignal = defineSignal<[PaymentReport]>('paymentReport');

/** From the order to one payment request. */
export const withdrawSignal = defineSignal('withdraw');
export interface Verdict {
  keep: boolean;
}
export const verdictSignal = defineSignal<[Verdict]>('verdict');

/** From the Kaspi callback route: look at the request now. */
export interface KaspiEvent {
  status: string;
}
export const kaspiEventSignal = defineSignal<[KaspiEvent]>('kaspiEvent');

/**
 * From an operator, for a request in doubt: `externalId` when Kaspi's back office shows the bill,
 * `notCreated: true` when it shows none (the request is then sent again).
 */
export interface InDoubtAnswer {
  externalId?: string;
  notCreated?: boolean;
}
export const settleInDoubtSignal = defineSignal<[InDoubtAnswer]>('settleInDoubt');

/** The customer's answer to the florist's photo, from the bot: `round` names the photo the buttons were under. */
export interface ApprovalAnswer {
  telegramUserId: number;
  round: number;
  decision: 'approve' | 'change';
  /** What to change (a change request only). */
  comment?: string;
}
export const answerApprovalUpdate = defineUpdate<OrderView, [ApprovalAnswer]>('answerApproval');

/** The customer's stars, then (in a second call) the optional comment; an empty comment means none. */
export interface RatingAnswer {
  telegramUserId: number;
  stars?: number;
  comment?: string;
}
export const rateOrderUpdate = defineUpdate<OrderView, [RatingAnswer]>('rateOrder');
