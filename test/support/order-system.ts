import type { OrderSettings } from '../../common/order';
import { clearFaults, endJourneys } from './journey';
import { startSystem, type TestSystem } from './system';

/**
 * Every timer fire costs the time-skipping server about two seconds of real time: the order tests poll slowly and
 * let the signed Kaspi callback (journey.pay) bring payments in; one test relies on polling alone.
 */
export const SLOW_PACE = {
  kaspiFastPollMs: 10 * 60_000,
  kaspiFastWindowMs: 0,
  kaspiSlowPollMs: 10 * 60_000,
  kaspiLatePollMs: 30 * 60_000,
  crmPollMs: 30 * 60_000,
  crmGiveUpMs: 3_600_000,
};

/**
 * The order's journey on the real parts, one system per test file: the time-skipping Temporal server (payment
 * deadlines, a CRM outage and days of waiting take no real time), the worker with its real activities, PostgreSQL,
 * and the production API, Kaspi and Telegram stand-ins over HTTP. Bad timing is forced through the stand-ins'
 * fault routes. A 2 s wait for the production API makes the `slow` fault an answer that comes too late (is lost);
 * money is watched for 3 h after a bill is withdrawn (24 h in production).
 */
export function useOrderSystem(settings: Partial<OrderSettings> = {}): () => TestSystem {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({
      temporal: 'time-skipping',
      productionTimeoutMs: 2_000,
      settings: { latePaymentWatchMs: 3 * 3_600_000, timings: SLOW_PACE, ...settings },
    });
  }, 120_000);
  afterAll(() => system?.stop());
  afterEach(async () => {
    await clearFaults(system);
    await endJourneys(system);
  });
  return () => system;
}

export const statusIs = (status: string) => (v: { status: string }) => v.status === status;
