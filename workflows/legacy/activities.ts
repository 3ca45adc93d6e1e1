import type { OrderInput, OrderView, PricedOrder } from '../../common/order';

/**
 * The activities as the first version of the order workflow called them. Frozen with that version: the
 * worker still serves every name (activities/legacy.ts adapts the ones whose shape changed).
 */
export interface LegacyOrderActivities {
  priceOrder(input: OrderInput): Promise<PricedOrder>;
  recordOrder(args: { input: OrderInput; priced: PricedOrder }): Promise<void>;
  recordStatus(args: {
    trackingId: string;
    status?: OrderView['status'];
    at?: Date;
    cancelReason?: OrderView['cancelReason'];
    crm?: OrderView['crm'];
    assembledPhotoUrl?: string;
  }): Promise<void>;
  createCrmOrder(args: { input: OrderInput; priced: PricedOrder }): Promise<{ crmOrderId: number }>;
  setCrmStatus(args: { crmOrderId: number; status: string }): Promise<void>;
  getCrmOrder(crmOrderId: number): Promise<{ status: string; assembledImage?: string }>;
  requestPayment(args: { trackingId: string; phone: string; amountKopecks: number }): Promise<{ externalId: string }>;
  getPaymentStatus(externalId: string): Promise<string>;
  refundPayment(args: { trackingId: string; externalId: string; amountKopecks: number }): Promise<{
    refundedKopecks: number;
  }>;
  notifyCustomer(args: {
    chatId?: number;
    language: 'ru' | 'kk';
    event: OrderView['status'] | 'refunded';
    order: OrderView;
  }): Promise<unknown>;
}
