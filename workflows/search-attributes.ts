import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Typed keys of the custom search attributes registered at start-up (common/contract.ts). */
export const orderSearchAttributes = {
  status: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  trackingId: defineSearchAttributeKey('TrackingId', SearchAttributeType.KEYWORD),
  customerPhone: defineSearchAttributeKey('CustomerPhone', SearchAttributeType.KEYWORD),
  customerPhoneHash: defineSearchAttributeKey('CustomerPhoneHash', SearchAttributeType.KEYWORD),
  deliveryDate: defineSearchAttributeKey('DeliveryDate', SearchAttributeType.DATETIME),
  total: defineSearchAttributeKey('OrderTotal', SearchAttributeType.INT),
  paymentState: defineSearchAttributeKey('PaymentState', SearchAttributeType.KEYWORD),
  needsAttention: defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL),
  customerWait: defineSearchAttributeKey('CustomerWait', SearchAttributeType.KEYWORD),
};
