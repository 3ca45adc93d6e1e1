import { rm } from 'node:fs/promises';
import { ChaosStack } from '../../scripts/lib/chaos-stack';
import type { ScenarioResult } from '../../scripts/lib/chaos-scenarios';
import { freePort, tempDirForPostgres } from '../support/test-postgres';

/** Paces of a short rehearsal: bills and the CRM polled every few seconds, so a lost webhook is caught up fast. */
export const SHORT_PACES = {
  KASPI_POLL_EVERY: '1s',
  KASPI_SLOW_POLL_EVERY: '2s',
  KASPI_LATE_POLL_EVERY: '2s',
  CRM_POLL_EVERY: '2s',
  LATE_PAYMENT_WATCH: '1m',
};

/** The whole stack as separate processes in a temp folder; stop() removes the folder. */
export async function startChaosStack(): Promise<ChaosStack & { remove(): Promise<void> }> {
  const dir = await tempDirForPostgres();
  const stack = await ChaosStack.start({ dir, freePort, env: SHORT_PACES, readyTimeoutMs: 150_000 });
  return Object.assign(stack, { remove: () => rm(dir, { recursive: true, force: true }) });
}

/** One stack per test file: started before its tests, stopped and removed after them. */
export function useChaosStack(): () => ChaosStack {
  let stack: (ChaosStack & { remove(): Promise<void> }) | undefined;
  beforeAll(async () => {
    stack = await startChaosStack();
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    await stack?.remove();
  }, 60_000);
  return () => stack!;
}

/** A scenario's result, printed for the record, then checked: every order closed and nothing out of place. */
export function expectReconciled(result: ScenarioResult, orders: number): void {
  console.log(JSON.stringify(result));
  expect(result.reconcile.violations).toEqual([]);
  expect(result.reconcile).toMatchObject({ ok: true, orders, open: 0, crmOrders: orders });
  expect(result.reconcile.delivered + result.reconcile.cancelled).toBe(orders);
}
