import { callbackData } from '../../bot/callback-data';
import type { Language } from '../../common/order';
import { shopDate } from '../support/dates';
import { startSystem, type TestSystem } from '../support/system';
import { botDeps, runBot, seedCatalog, TelegramUser } from './support';

/**
 * The bot's changes to an order (cancel, a new Kaspi bill) while every worker is gone: the customer hears, in
 * their language, that it could not be confirmed and to try again shortly, instead of silence; the change the
 * server held is applied once when workers return, even when the customer pressed twice.
 */
let system: TestSystem;
let bot: { stop(): Promise<void> };
beforeAll(async () => {
  system = await startSystem();
  await seedCatalog(system);
  bot = runBot(botDeps(system));
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await system?.stop();
});

const NEW_NUMBER = '+77017654321';

async function orderOf(u: TelegramUser, language: Language): Promise<string> {
  const product = system.production.products().find((p) => p.isAvailable)!;
  const { view } = await system.orders.place({
    customer: {
      phone: `+7701${u.id}000`.slice(0, 12),
      name: 'Дана',
      telegramUserId: u.id,
      telegramChatId: u.id,
      language,
    },
    delivery: { type: 'pickup', date: shopDate(1), slot: '14:00-16:00' },
    items: [{ productId: product.id, quantity: 1 }],
    paymentMethod: 'kaspi',
  });
  return view.trackingId;
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('cancel (ru) and a new bill (kk, pressed twice) with no worker: a polite "try again", then applied once', async () => {
  const ru = new TelegramUser(system.telegram.url, 9301, 'Дана', 'ru');
  const kk = new TelegramUser(system.telegram.url, 9302, 'Дана', 'kk');
  const [cancelled, repaid] = [await orderOf(ru, 'ru'), await orderOf(kk, 'kk')];
  for (const trackingId of [cancelled, repaid])
    await until(
      () => system.db.prisma.order.findUnique({ where: { trackingId }, include: { payments: true } }),
      (row) => row?.status === 'awaiting_payment' && row.payments.length === 1,
    );
  await Promise.all([ru.catchUp(), kk.catchUp()]);

  await system.stopWorkers();
  await ru.press(callbackData.orderCancelSure(cancelled));
  await ru.expect(new RegExp(`Не получилось сразу подтвердить изменение заказа ${cancelled}.*попробуйте ещё раз`));
  for (let press = 0; press < 2; press++) {
    await kk.press(callbackData.orderRepay(repaid));
    await kk.expect(/жаңа Kaspi шотын қай нөмірге/);
    await kk.say(NEW_NUMBER);
    await kk.expect(new RegExp(`${repaid} тапсырысындағы өзгерісті бірден растау мүмкін болмады.*қайталап көріңізші`));
  }

  await system.startWorkers();
  // The held cancel takes effect: the customer hears it from the order itself.
  await ru.expect(new RegExp(`Заказ ${cancelled} отменён`), 30_000);
  // Both presses were one request: one new bill, to the new number.
  const repay = await until(
    () => system.orders.status(repaid),
    (view) => view.payment.attempt === 2 && view.payment.status === 'requested',
  );
  expect(repay.payment).toMatchObject({ attempt: 2, phone: NEW_NUMBER });
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for a third bill, were there one
  expect((await system.orders.status(repaid)).payment.attempt).toBe(2);
  expect(system.production.payments().filter((p) => p.phone.endsWith(NEW_NUMBER.slice(-10)))).toHaveLength(1);
}, 150_000);
