/**
 * `npm run chaos`: the long fault rehearsal of issue 11 on the real stack (separate processes in a temp folder):
 * at least 20 worker SIGKILLs, dev server stops (SIGTERM and SIGKILL), PostgreSQL restarts, the production API
 * down for minutes, Telegram floods and a blocked chat, webhook storms. Prints one JSON line with every figure
 * and the reconciliation of every scenario; exit 1 if any order is out of place. Takes about 20 minutes.
 * CHAOS_ONLY="worker kills,webhook storm" runs only the scenarios whose names contain one of those words.
 */
import { rm } from 'node:fs/promises';
import { freePort, tempDirForPostgres } from '../test/support/test-postgres';
import * as scenarios from './lib/chaos-scenarios';
import { ChaosStack } from './lib/chaos-stack';

const PACES = {
  KASPI_POLL_EVERY: '2s',
  KASPI_SLOW_POLL_EVERY: '5s',
  KASPI_LATE_POLL_EVERY: '5s',
  CRM_POLL_EVERY: '5s',
  LATE_PAYMENT_WATCH: '2m',
};
const MINUTES = 60_000;

async function main(): Promise<void> {
  const started = Date.now();
  const dir = await tempDirForPostgres();
  const log = (line: string) => console.error(`[chaos] ${line}`);
  const stack = await ChaosStack.start({ dir, freePort, env: PACES });
  // Its children run in process groups of their own: Ctrl-C must stop them too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  const results: scenarios.ScenarioResult[] = [];
  const failures: { scenario: string; error: string }[] = [];
  const step = { stepTimeoutMs: 15 * MINUTES };
  const only = process.env.CHAOS_ONLY?.split(',').map((s) => s.trim());
  const run = async (name: string, scenario: () => Promise<scenarios.ScenarioResult>) => {
    if (only && !only.some((word) => name.includes(word))) return;
    log(`${name}…`);
    try {
      const result = await scenario();
      log(`${name}: ${result.orders} orders in ${result.seconds} s, ok=${result.reconcile.ok}`);
      results.push(result);
    } catch (err) {
      // An order that never closed: the figures of the other scenarios still count.
      log(`${name} failed: ${(err as Error).message}\n${stack.logs()}`);
      failures.push({ scenario: name, error: (err as Error).message });
    }
  };
  try {
    await run('worker kills', () =>
      scenarios.workerKills(stack, { ...step, orders: 60, staggerMs: 4_000, kills: 22, gapMs: [3_000, 8_000] }),
    );
    await run('dev server stops', () =>
      scenarios.temporalRestarts(stack, { ...step, orders: 20, stops: 4, downMs: 5_000 }),
    );
    await run('PostgreSQL restarts', () =>
      scenarios.postgresRestarts(stack, {
        ...step,
        orders: 30,
        staggerMs: 1_000,
        restarts: 5,
        gapMs: [4_000, 10_000],
        downMs: 3_000,
      }),
    );
    await run('production API faults', () =>
      scenarios.productionFaults(stack, { ...step, orders: 20, refusals: 5, hangMs: 20_000, downMs: 3 * MINUTES }),
    );
    await run('Telegram faults', () =>
      scenarios.telegramFaults(stack, { ...step, orders: 20, floods: 10, retryAfterS: 2 }),
    );
    await run('webhook storm', () => scenarios.webhookStorm(stack, { ...step, orders: 20 }));
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const ok = failures.length === 0 && results.every((r) => r.reconcile.ok);
  const total = (pick: (r: scenarios.ScenarioResult) => number) => results.reduce((n, r) => n + pick(r), 0);
  console.log(
    JSON.stringify({
      ok,
      minutes: Math.round((Date.now() - started) / 600) / 100,
      orders: total((r) => r.orders),
      delivered: total((r) => r.reconcile.delivered),
      cancelled: total((r) => r.reconcile.cancelled),
      duplicatesSent: total((r) => r.duplicatesSent),
      inDoubtSettled: total((r) => r.inDoubtSettled),
      ...stack.counts,
      violations: results.flatMap((r) => r.reconcile.violations),
      failures,
      scenarios: results,
    }),
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.log(JSON.stringify({ ok: false, error: (err as Error).message }));
  process.exit(1);
});
