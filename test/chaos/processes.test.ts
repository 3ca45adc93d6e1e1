import { postgresRestarts, temporalRestarts, workerKills } from '../../scripts/lib/chaos-scenarios';
import { expectReconciled, useChaosStack } from './support';

/**
 * The real processes killed under orders in flight (short version of `npm run chaos`): the worker SIGKILLed, the
 * dev server stopped and restarted on its SQLite file, PostgreSQL restarted. Every order ends delivered or
 * cancelled, once, with its money where it belongs.
 */
const stack = useChaosStack();

test('worker SIGKILLed at random moments while orders are in flight', async () => {
  // Orders 3 s apart keep some in flight for every kill: a faster pipeline had them all done after the first.
  const result = await workerKills(stack(), { orders: 4, staggerMs: 3_000, kills: 3, gapMs: [1_000, 4_000] });
  expectReconciled(result, 4);
  expect(result.faults.workerKills).toBeGreaterThanOrEqual(2);
}, 240_000);

test('dev server stopped (SIGTERM, SIGKILL) while orders wait for payment and for the shop', async () => {
  const result = await temporalRestarts(stack(), { orders: 4, stops: 2, downMs: 1_000 });
  expectReconciled(result, 4);
  expect(result.faults).toEqual({ temporalSigterm: 1, temporalSigkill: 1 });
}, 240_000);

test('PostgreSQL restarted under orders', async () => {
  const result = await postgresRestarts(stack(), { orders: 4, restarts: 2, gapMs: [1_000, 3_000], downMs: 1_000 });
  expectReconciled(result, 4);
}, 240_000);
