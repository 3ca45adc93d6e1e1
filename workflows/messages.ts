import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderView } from '../common/order';

/** Message definitions of orderWorkflow; the API and the bot import these objects, never names. */
export const statusQuery = defineQuery<OrderView>('status');

/** Waits for the pricing step: the API starts the workflow with this update in one call. */
export const pricedUpdate = defineUpdate<OrderView>('priced');

export interface CancelRequest {
  reason?: string;
}
export const cancelUpdate = defineUpdate<OrderView, [CancelRequest]>('cancel');

export interface CrmStatusEvent {
  status: string;
  assembledImage?: string;
}
export const crmStatusSignal = defineSignal<[CrmStatusEvent]>('crmStatus');

export interface PaymentEvent {
  externalId: string;
  status: string;
}
export const paymentSignal = defineSignal<[PaymentEvent]>('payment');
