/** Inline button payloads (≤ 64 bytes): one builder and one pattern per kind, so features agree on the format. */
export const callbackData = {
  /** A catalog page, optionally of a filter (see bot/catalog-filters.ts). */
  catalog: (index: number, filter?: string) => (filter ? `cat:${index}:${filter}` : `cat:${index}`),
  catalogFilters: 'catf',
  search: (index: number) => `srch:${index}`,
  order: (externalId: number) => `order:${externalId}`,
  language: (language: string) => `lang:${language}`,
  orderDetails: (trackingId: string) => `ord:s:${trackingId}`,
  /** Asks "are you sure?"; `orderCancelSure` cancels, `orderKeep` leaves it. */
  orderCancel: (trackingId: string) => `ord:c:${trackingId}`,
  orderCancelSure: (trackingId: string) => `ord:x:${trackingId}`,
  orderKeep: (trackingId: string) => `ord:k:${trackingId}`,
  /** A new checkout prefilled from this order ("Повторить заказ", "Оформить заново"). */
  orderRepeat: (trackingId: string) => `ord:r:${trackingId}`,
  /** A new Kaspi request to another number ("счёт не пришёл / другой номер"). */
  orderRepay: (trackingId: string) => `ord:p:${trackingId}`,
  /** The customer's answer to photo `round` of the order: approve, or ask for a change (the bot asks what). */
  approve: (trackingId: string, round: number) => `apr:y:${trackingId}:${round}`,
  askChange: (trackingId: string, round: number) => `apr:c:${trackingId}:${round}`,
  rate: (trackingId: string, stars: number) => `rt:${trackingId}:${stars}`,
  rateNoComment: (trackingId: string) => `rt:${trackingId}:-`,
  shopContact: 'shop',
  checkout: {
    delivery: 'co:type:delivery',
    pickup: 'co:type:pickup',
    date: (isoDate: string) => `co:date:${isoDate}`,
    otherDay: 'co:days',
    slot: (slot: string) => `co:slot:${slot}`,
    edit: (field: string) => `co:edit:${field}`,
    phoneYes: 'co:phone:yes',
    phoneOther: 'co:phone:other',
    confirm: 'co:confirm',
    abandon: 'co:abandon',
    resume: 'co:resume',
  },
  noop: 'noop',
} as const;

export const callbackPattern = {
  catalog: /^cat:(\d+)(?::([a-z0-9]+))?$/,
  search: /^srch:(\d+)$/,
  order: /^order:(\d+)$/,
  language: /^lang:(ru|kk)$/,
  orderDetails: /^ord:s:([A-Z0-9]+)$/,
  orderCancel: /^ord:c:([A-Z0-9]+)$/,
  orderCancelSure: /^ord:x:([A-Z0-9]+)$/,
  orderKeep: /^ord:k:([A-Z0-9]+)$/,
  orderRepeat: /^ord:r:([A-Z0-9]+)$/,
  orderRepay: /^ord:p:([A-Z0-9]+)$/,
  approval: /^apr:([yc]):([A-Z0-9]+):(\d+)$/,
  rate: /^rt:([A-Z0-9]+):([1-5])$/,
  rateNoComment: /^rt:([A-Z0-9]+):-$/,
  checkout: /^co:/,
} as const;
