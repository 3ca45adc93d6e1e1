import { spawnSync } from 'node:child_process';
import path from 'node:path';
import got from 'got';
import { OrderDriver } from '../../scripts/lib/chaos-orders';
import { planFor, productionFaults, telegramFaults, webhookStorm } from '../../scripts/lib/chaos-scenarios';
import { reconcile } from '../../scripts/lib/reconcile-check';
import { expectReconciled, useChaosStack } from './support';

/**
 * The outside world misbehaving (short version of `npm run chaos`): the production API answering 500, hanging
 * and down; Telegram flooding and one customer's chat refusing; webhooks and callbacks twice, out of order,
 * never, late and for closed orders. Every order still ends once, and the checker sees what it must.
 */
const stack = useChaosStack();

test('production API answers 500, hangs, then is down while orders wait', async () => {
  const result = await productionFaults(stack(), { orders: 4, refusals: 3, hangMs: 17_000, downMs: 15_000 });
  expectReconciled(result, 4);
}, 240_000);

test('Telegram answers 429 with retry_after; one customer has blocked the bot', async () => {
  const result = await telegramFaults(stack(), { orders: 4, floods: 3, retryAfterS: 1 });
  expectReconciled(result, 4);
}, 240_000);

test('webhooks and callbacks twice, out of order, never, late and for closed orders', async () => {
  const result = await webhookStorm(stack(), { orders: 4 });
  expectReconciled(result, 4);
  expect(result.duplicatesSent).toBeGreaterThanOrEqual(8);
}, 240_000);

test('the checker finds a message sent twice and a status the database does not share', async () => {
  const trackingId = await new OrderDriver(stack()).drive(planFor(0));
  const order = await stack().prisma.order.findUniqueOrThrow({ where: { trackingId }, include: { customer: true } });
  const token = stack().env.TELEGRAM_BOT_TOKEN;
  await got.post(`${stack().telegramUrl}/bot${token}/sendMessage`, {
    json: { chat_id: Number(order.customer!.telegramChatId), text: 'once more' },
  });
  await stack().prisma.order.update({ where: { id: order.id }, data: { status: 'accepted' } });
  const { ok, violations } = await reconcile({
    prisma: stack().prisma,
    temporal: stack().client,
    productionUrl: stack().productionUrl,
    telegramUrl: stack().telegramUrl,
    trackingIds: [order.trackingId],
  });
  const expected = [
    expect.stringMatching(/^telegram: .* got \d+ messages/),
    expect.stringMatching(/^status: .* is accepted in the database/),
  ];
  expect(ok).toBe(false);
  expect(violations).toEqual(expected);

  // The operators' script says the same in one JSON line and exits 1.
  const script = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/reconcile-check.ts', '--retry-for=0s', order.trackingId],
    { cwd: path.resolve(__dirname, '../..'), env: stack().env, encoding: 'utf8', timeout: 60_000 },
  );
  expect(script.status).toBe(1);
  expect(JSON.parse(script.stdout.trim())).toMatchObject({ ok: false, orders: 1, violations: expected });
}, 90_000);
