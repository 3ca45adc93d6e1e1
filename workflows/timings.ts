import type { OrderTimings } from '../common/order';

/** The shop's own poller's pace (domain.md): 15 s for 10 minutes, then every 2 minutes; the CRM every 5. */
export const DEFAULT_TIMINGS: OrderTimings = {
  kaspiFastPollMs: 15_000,
  kaspiFastWindowMs: 10 * 60_000,
  kaspiSlowPollMs: 2 * 60_000,
  kaspiLatePollMs: 5 * 60_000,
  crmPollMs: 5 * 60_000,
  crmGiveUpMs: 24 * 3_600_000,
};

export const timingsOf = (overrides: Partial<OrderTimings> = {}): OrderTimings => ({
  ...DEFAULT_TIMINGS,
  ...overrides,
});
