/**
 * Fault scenarios over a running ChaosStack. Each runs its orders to delivered or cancelled while something is
 * broken underneath, then reconciles them. `npm run chaos` runs them long, test/chaos short.
 */
import { OrderDriver, type DrivePlan } from './chaos-orders';
import type { ChaosStack } from './chaos-stack';
import { reconcileUntilClean, type ReconcileResult } from './reconcile-check';

export interface ScenarioResult {
  scenario: string;
  orders: number;
  seconds: number;
  /** The faults injected (kills, restarts, outages, refusals). */
  faults: Record<string, number>;
  duplicatesSent: number;
  inDoubtSettled: number;
  placeP50Ms: number;
  reconcile: ReconcileResult;
}

export interface ScenarioOptions {
  orders: number;
  /** How long one order step may keep failing (must outlast the longest outage). */
  stepTimeoutMs?: number;
  /** Orders start this far apart, so a long run keeps orders in flight for all of its faults. */
  staggerMs?: number;
}

/** A mix of endings and of callback and webhook deliveries, the same for every run of a scenario. */
export function planFor(i: number): DrivePlan {
  const ends: DrivePlan['end'][] = ['delivered', 'cancelled', 'delivered', 'shop-cancelled'];
  const callbacks: DrivePlan['callback'][] = ['twice', 'never', 'once'];
  const webhooks: DrivePlan['webhook'][] = ['twice', 'never', 'out-of-order', 'once'];
  return { end: ends[i % 4], callback: callbacks[i % 3], webhook: webhooks[i % 4], afterClose: i % 2 === 0 };
}

/** The worker process is SIGKILLed `kills` times at random moments while orders are in flight. */
export async function workerKills(
  stack: ChaosStack,
  opts: ScenarioOptions & { kills: number; gapMs: [number, number] },
): Promise<ScenarioResult> {
  return scenario('worker-kills', stack, opts, async (inFlight) => {
    for (let i = 0; i < opts.kills && inFlight(); i++) {
      await sleep(between(opts.gapMs));
      await stack.killWorker();
    }
    return { workerKills: stack.counts.workerKills };
  });
}

/**
 * The dev server is stopped (SIGTERM, then SIGKILL, alternating) and restarted on the same file: first while
 * every order waits for its payment, then while every paid order waits for the shop.
 */
export async function temporalRestarts(
  stack: ChaosStack,
  opts: ScenarioOptions & { stops: number; downMs: number },
): Promise<ScenarioResult> {
  const driver = new OrderDriver(stack, opts.stepTimeoutMs);
  const started = Date.now();
  const stops = { SIGTERM: 0, SIGKILL: 0 };
  const stop = async (i: number) => {
    const signal = i % 2 === 0 ? 'SIGTERM' : 'SIGKILL';
    stops[signal]++;
    await stack.restartTemporal(signal, opts.downMs);
  };
  const orders = await Promise.all(range(opts.orders).map(() => driver.place()));
  const bills = await Promise.all(orders.map((o) => driver.bill(o.trackingId)));
  let i = 0;
  for (; i < Math.ceil(opts.stops / 2); i++) await stop(i); // waiting for the payment
  await Promise.all(bills.map((bill, n) => driver.pay(bill, planFor(n).callback)));
  await Promise.all(orders.map((o, n) => driver.untilPaid(o.trackingId, bills[n])));
  for (; i < opts.stops; i++) await stop(i); // waiting for the shop
  await Promise.all(
    orders.map(async ({ trackingId }, n) => {
      const plan = planFor(n);
      if (plan.end === 'cancelled') await driver.cancel(trackingId);
      else await driver.shop(trackingId, plan.end === 'delivered' ? ['AP', 'F'] : ['RF'], plan.webhook);
      await driver.until(trackingId, (v) => v.status === 'delivered' || v.status === 'cancelled', 'closed');
    }),
  );
  return finish(
    'temporal-restarts',
    stack,
    driver,
    started,
    orders.map((o) => o.trackingId),
    {
      temporalSigterm: stops.SIGTERM,
      temporalSigkill: stops.SIGKILL,
    },
  );
}

/** PostgreSQL is restarted `restarts` times while orders are placed, paid and moved. */
export async function postgresRestarts(
  stack: ChaosStack,
  opts: ScenarioOptions & { restarts: number; gapMs: [number, number]; downMs: number },
): Promise<ScenarioResult> {
  return scenario('postgres-restarts', stack, opts, async (inFlight) => {
    let restarts = 0;
    for (; restarts < opts.restarts && inFlight(); restarts++) {
      await sleep(between(opts.gapMs));
      await stack.restartPostgres(opts.downMs);
    }
    return { postgresRestarts: restarts };
  });
}

/**
 * The production API answers 500 and hangs on its CRM and Kaspi status routes, then is down (nothing listening)
 * for `downMs` while the orders wait for payment and for the shop. Kaspi payment requests are left alone: a 500
 * or a cut connection there leaves a bill in doubt, for an operator (docs/reliability.md).
 */
export async function productionFaults(
  stack: ChaosStack,
  opts: ScenarioOptions & { downMs: number; refusals: number; hangMs: number },
): Promise<ScenarioResult> {
  return scenario('production-faults', stack, opts, async () => {
    await sleep(1_000);
    const routes = ['/orders/', '/order/change-status/', '/paymentkaspi/status/', '/paymentkaspi/refund/'];
    for (const route of routes) await stack.productionFault({ route, mode: 'error500', count: opts.refusals });
    await stack.productionFault({ route: '/orders/detail/', mode: 'slow', delayMs: opts.hangMs, count: 2 });
    await sleep(2_000);
    await stack.productionOutage(opts.downMs);
    return { refusals: opts.refusals * routes.length, hangs: 2, outageMs: opts.downMs };
  });
}

/** Telegram answers 429 with retry_after for a while, and one customer has blocked the bot (403). */
export async function telegramFaults(
  stack: ChaosStack,
  opts: ScenarioOptions & { floods: number; retryAfterS: number },
): Promise<ScenarioResult> {
  let blocked = false;
  return scenario(
    'telegram-faults',
    stack,
    opts,
    async () => {
      await stack.telegramFault({
        route: 'sendMessage',
        mode: 'error429',
        retryAfter: opts.retryAfterS,
        count: opts.floods,
      });
      return { floods: opts.floods, blockedChats: 1 };
    },
    async (chatId) => {
      if (blocked) return;
      blocked = true;
      await stack.blockChat(chatId);
    },
  );
}

/** Every webhook and callback twice, some out of order, some never (the polls catch up), some late and for closed orders. */
export function webhookStorm(stack: ChaosStack, opts: ScenarioOptions): Promise<ScenarioResult> {
  return scenario(
    'webhooks',
    stack,
    opts,
    async () => ({}),
    undefined,
    (i) => ({
      ...planFor(i),
      callback: i % 3 === 1 ? 'never' : 'twice',
      afterClose: true,
    }),
  );
}

/** Drives `opts.orders` orders while `breakIt` runs, then reconciles them. */
async function scenario(
  name: string,
  stack: ChaosStack,
  opts: ScenarioOptions,
  breakIt: (inFlight: () => boolean) => Promise<Record<string, number>>,
  onPlaced?: (chatId: number) => Promise<void>,
  plan: (i: number) => DrivePlan = planFor,
): Promise<ScenarioResult> {
  const driver = new OrderDriver(stack, opts.stepTimeoutMs);
  const started = Date.now();
  let settled = false;
  const driving = Promise.all(
    range(opts.orders).map(async (i) => {
      await sleep(i * (opts.staggerMs ?? 0));
      return driver.drive(plan(i), onPlaced);
    }),
  );
  void driving.finally(() => (settled = true)).catch(() => undefined);
  const faults = await breakIt(() => !settled);
  const trackingIds = await driving;
  return finish(name, stack, driver, started, trackingIds, faults);
}

async function finish(
  name: string,
  stack: ChaosStack,
  driver: OrderDriver,
  started: number,
  trackingIds: string[],
  faults: Record<string, number>,
): Promise<ScenarioResult> {
  const reconcile = await reconcileUntilClean({
    prisma: stack.prisma,
    temporal: stack.client,
    productionUrl: stack.productionUrl,
    telegramUrl: stack.telegramUrl,
    trackingIds,
  });
  const latencies = [...driver.figures.placeLatencyMs].sort((a, b) => a - b);
  return {
    scenario: name,
    orders: trackingIds.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    faults,
    duplicatesSent: driver.figures.duplicatesSent,
    inDoubtSettled: driver.figures.inDoubtSettled,
    placeP50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
    reconcile,
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
