/** Inline button payloads (≤ 64 bytes): one builder and one pattern per kind, so features agree on the format. */
export const callbackData = {
  catalog: (index: number) => `cat:${index}`,
  search: (index: number) => `srch:${index}`,
  order: (externalId: number) => `order:${externalId}`,
  language: (language: string) => `lang:${language}`,
  orderDetails: (trackingId: string) => `ord:s:${trackingId}`,
  orderCancel: (trackingId: string) => `ord:c:${trackingId}`,
  confirm: 'checkout:confirm',
  back: 'checkout:back',
  abandon: 'checkout:abandon',
  noop: 'noop',
} as const;

export const callbackPattern = {
  catalog: /^cat:(\d+)$/,
  search: /^srch:(\d+)$/,
  order: /^order:(\d+)$/,
  language: /^lang:(ru|kk)$/,
  orderDetails: /^ord:s:([A-Z0-9]+)$/,
  orderCancel: /^ord:c:([A-Z0-9]+)$/,
  checkout: /^checkout:/,
} as const;
