import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import got from 'got';
import { Api } from 'grammy';
import { notificationButtons } from '../../activities/notification-buttons';
import { registerCommands } from '../../bot/commands';
import type { BotDeps } from '../../bot/context';
import { createBot } from '../../bot/create-bot';
import { pruneBotSessions } from '../../bot/storage';
import { telegramWebhook } from '../../bot/webhook';
import type { OrderView } from '../../common/order';
import { createBotMethods } from '../../standins/telegram-methods';
import { shopDate } from '../support/dates';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';
import { answerCheckout, botDeps, buttonsOf, runBot, seedCatalog, TelegramUser, textOf, type Call } from './support';

let system: TestSystem;
let bot: { stop(): Promise<void> };
let deps: BotDeps;
const newPayments: [string, string][] = [];
/**
 * Answers as the order does (test/workflows/order-new-bill.test.ts): a new bill for a new number, and for a repeat
 * the order as it is (this stub sends no bill, so the order still shows the one the customer saw).
 */
const requestNewPayment = async (trackingId: string, phone: string): Promise<OrderView> => {
  const repeat = newPayments.some(([t, p]) => t === trackingId && p === phone);
  newPayments.push([trackingId, phone]);
  const view = await system.orders.status(trackingId);
  return repeat ? view : { ...view, payment: { ...view.payment, attempt: (view.payment.attempt ?? 0) + 1 } };
};

beforeAll(async () => {
  // A short payment deadline: the order expires while the test watches.
  system = await startSystem({ settings: { paymentDeadlineMs: 10_000 } });
  await seedCatalog(system);
  deps = botDeps(system);
  deps.orders = { ...system.orders, requestNewPayment };
  bot = runBot(deps);
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await system?.stop();
});

const user = (id: number, language = 'ru') => new TelegramUser(system.telegram.url, id, 'Дана', language);
const trackingIdIn = (text: string) => /CV[0-9A-Z]{10}/.exec(text)![0];
const products = () => system.db.prisma.product.findMany({ where: { available: true }, orderBy: { id: 'asc' } });
const isCard = (c: Call) => c.method === 'sendPhoto';
/** A card shown by a button: a new photo, or the pressed message edited (the stand-in names the bot's latest). */
const shownCard = (c: Call) => c.ok !== false && (isCard(c) || c.method === 'editMessageMedia');
const cardText = (c: Call) =>
  c.method === 'editMessageMedia' ? String((c.payload.media as { caption?: string }).caption) : textOf(c);
const standinEditsMedia = 'editMessageMedia' in createBotMethods({} as never, {});

async function order(u: TelegramUser): Promise<string> {
  const [product] = await products();
  await u.press(`order:${product.externalId}`);
  await answerCheckout(u, { pickup: true });
  await u.press('co:confirm');
  return trackingIdIn(textOf(await u.expect(/оформлен!/)));
}

describe('the catalog', () => {
  test('flowers and price ranges; a deep link opens one bouquet; commands in both languages', async () => {
    const u = user(7001);
    await u.say('/catalog');
    const card = await u.expect(isCard);
    await u.press(TelegramUser.button(card, /Подобрать/).callback_data!);
    const menu = await u.expect(/Что показать/);
    expect(buttonsOf(menu).map((b) => b.text)).toEqual(
      expect.arrayContaining(['🌹 Розы', '🌷 Тюльпаны', 'до 15 000 ₸', 'от 30 000 ₸', '💐 Все букеты']),
    );
    await u.press(TelegramUser.button(menu, /Тюльпаны/).callback_data!);
    const tulip = await u.expect(shownCard);
    expect(cardText(tulip).toLowerCase()).toContain('тюльпан');
    expect(TelegramUser.button(tulip, /▶️/).callback_data).toBe('cat:1:tulip');
    await u.press(TelegramUser.button(menu, /до 15 000/).callback_data!);
    const cheap = await u.expect(shownCard);
    const price = Number(/([\d\u202f]+)\u00a0₸/.exec(cardText(cheap))![1].replace(/\u202f/g, ''));
    expect(price).toBeLessThanOrEqual(15_000);

    const [, second] = await products();
    await u.say(`/start p${second.externalId}`);
    await u.expect(/Здравствуйте/);
    const linked = await u.expect(isCard);
    expect(textOf(linked)).toContain(second.title);
    expect(TelegramUser.button(linked, /Заказать/).callback_data).toBe(`order:${second.externalId}`);
    await u.say('/start p999999999');
    await u.expect(/Этого букета уже нет/);

    await registerCommands(new Api(FIXTURES.telegramToken, { apiRoot: system.telegram.url }));
    const set = system.telegram.sent().filter((c) => c.method === 'setMyCommands');
    expect(set.map((c) => (c.payload as { language_code?: string }).language_code)).toEqual([undefined, 'kk']);
    const described = (i: number) =>
      (set[i].payload as { commands: { command: string; description: string }[] }).commands;
    expect(described(0)).toContainEqual({ command: 'orders', description: 'Мои заказы' });
    expect(described(1)).toContainEqual({ command: 'orders', description: 'Тапсырыстарым' });
  });

  (standinEditsMedia ? test : test.skip)('paging edits the card in place instead of sending a new photo', async () => {
    const u = user(7002);
    await u.say('/catalog');
    const card = await u.expect(isCard);
    const sentBefore = (await u.sent()).filter(isCard).length;
    await u.press(TelegramUser.button(card, /▶️/).callback_data!);
    const edit = await u.expect((c) => c.method === 'editMessageMedia');
    const [, second] = await products();
    expect(JSON.stringify(edit.payload.media)).toContain(second.title);
    expect((await u.sent()).filter(isCard)).toHaveLength(sentBefore);
  });

  test('search understands Kazakh and Latin flower names; a photo sent as a file is searched like a photo', async () => {
    const u = user(7003, 'kk');
    for (const [query, word] of [
      ['қызғалдақ', 'тюльпан'],
      ['tulips', 'тюльпан'],
      ['раушан', 'роз'],
      ['peony', 'пион'],
    ]) {
      await u.say(query);
      await u.expect(new RegExp(`«${query}» бойынша табылған`));
      expect(textOf(await u.expect(isCard)).toLowerCase()).toContain(word);
    }

    const image = await got(
      `${system.production.url}/static/products/${(await products())[0].externalId}-1.jpg`,
    ).buffer();
    const stored = await got
      .post(`${system.telegram.url}/__control/files`, { body: image, headers: { 'content-type': 'image/jpeg' } })
      .json<{ file_id: string; file_unique_id: string; file_size: number }>();
    const document = { ...stored, file_name: 'букет.jpg', mime_type: 'image/jpeg' };
    await u.send(u.message({ document }));
    await u.expect(/мұндай гүл шоғы жоқ/); // searched (the test's photo search knows nothing)
    await u.send(u.message({ document: { ...document, file_name: 'price.pdf', mime_type: 'application/pdf' } }));
    await u.expect(/суретке ұқсамайды/);
  });
});

describe('after the order', () => {
  test('"счёт не пришёл / другой номер" asks the number and requests a new payment; without that feature, a polite answer', async () => {
    const u = user(7004);
    const trackingId = await order(u);
    await u.expect(/Оплатите заказ/);
    const buttons = notificationButtons('awaiting_payment', 'ru', await system.orders.status(trackingId))!;
    const repay = buttons.inline_keyboard.flat().find((b) => b.text.includes('другой номер'))!;
    // Pressed in the middle of another checkout: that one is kept for later, the new request goes ahead.
    await u.press(`order:${(await products())[1].externalId}`);
    await u.expect(/Доставка или самовывоз/);
    await u.press((repay as { callback_data: string }).callback_data);
    await u.expect(/приостановлено/);
    const ask = await u.expect(new RegExp(`новый счёт Kaspi за заказ ${trackingId}`));
    expect(buttonsOf(ask).map((b) => b.text)).toContain('+77015211545');
    await u.say('нет');
    await u.expect(/не похоже на казахстанский номер/);
    await u.say('8 705 111 22 33');
    await u.expect(new RegExp(`Отправили новый счёт за заказ ${trackingId} на \\+77051112233`));
    expect(newPayments).toEqual([[trackingId, '+77051112233']]);
    // The same number again at once: the bill just sent stands, and the customer is told so, not "a new bill".
    await u.press(`ord:p:${trackingId}`);
    await u.expect(new RegExp(`новый счёт Kaspi за заказ ${trackingId}`));
    await u.say('8 705 111 22 33');
    await u.expect(new RegExp(`Счёт за заказ ${trackingId} на \\+77051112233 мы отправили только что`));
    expect(newPayments).toHaveLength(2);

    deps.orders.requestNewPayment = undefined;
    try {
      await u.press(`ord:p:${trackingId}`);
      await u.expect(/не получается выставить новый счёт\. Свяжитесь с магазином: \+77010000000/);
    } finally {
      deps.orders.requestNewPayment = requestNewPayment;
    }
    await u.press('shop');
    await u.expect(/Адрес: Астана, ул\. Кенесары 40\nЧасы работы: каждый день 09:00-21:00/);
  });

  test('after the payment deadline, "Оформить заново" starts the same order again, asking only the day and time', async () => {
    const u = user(7005);
    const expired = await order(u);
    await u.expect(new RegExp(`Заказ ${expired} отменён: время оплаты истекло`), 30_000);
    const view = await system.orders.status(expired);
    const again = notificationButtons('cancelled', 'ru', view)!.inline_keyboard.flat()[0] as {
      text: string;
      callback_data: string;
    };
    expect(again.text).toBe('🔁 Оформить заново');
    await u.press(again.callback_data);
    await u.expect(/Когда заберёте/);
    await u.press(`co:date:${shopDate(2)}`);
    await u.expect(/Выберите время/);
    await u.press('co:slot:12:00-14:00');
    const summary = await u.expect(/Проверьте заказ/);
    expect(textOf(summary)).toContain('Самовывоз');
    expect(textOf(summary)).toContain('+77015211545');
    await u.press('co:confirm');
    expect(trackingIdIn(textOf(await u.expect(/оформлен!/)))).not.toBe(expired);
  });
});

describe('the bot itself', () => {
  test("webhook: Telegram gets its answer in time while the work goes on; one chat's updates are handled in order", async () => {
    let release!: () => void;
    const slowSearch = new Promise<void>((resolve) => (release = resolve));
    const slow = createBot(FIXTURES.telegramToken, {
      ...deps,
      searchByPhoto: async () => (await slowSearch, { exact: [], similar: [] }),
    });
    const app = express().post('/hook', express.json(), telegramWebhook(slow, 'test-telegram-webhook-secret', 300));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const u = user(7006);
      const stored = await got
        .post(`${system.telegram.url}/__control/files`, {
          body: await got(
            `${system.production.url}/static/products/${(await products())[0].externalId}-1.jpg`,
          ).buffer(),
          headers: { 'content-type': 'image/jpeg' },
        })
        .json<{ photo: object[] }>();
      const post = (id: number, content: object) =>
        got.post(url, {
          json: { update_id: id, ...u.message({ message_id: id, date: 1, ...content }) },
          headers: { 'X-Telegram-Bot-Api-Secret-Token': 'test-telegram-webhook-secret' },
        });
      const started = Date.now();
      const photo = await post(910_001, { photo: stored.photo });
      expect(photo.statusCode).toBe(200); // answered while the search still runs: Telegram does not resend
      expect(Date.now() - started).toBeLessThan(2_000);
      const help = post(910_002, { text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] });
      await new Promise((r) => setTimeout(r, 300));
      expect((await u.sent()).some((c) => /Как заказать/.test(textOf(c)))).toBe(false); // waits for the photo
      release();
      await u.expect(/такого букета у нас нет/);
      await u.expect(/Как заказать/);
      expect((await help).statusCode).toBe(200);
    } finally {
      release();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('sessions and unfinished checkouts are deleted once untouched for the configured time', async () => {
    const u = user(7007);
    const [product] = await products();
    await u.press(`order:${product.externalId}`);
    await u.expect(/Доставка или самовывоз/);
    const keys = async () =>
      (await system.db.prisma.botSession.findMany({ where: { key: { contains: '7007' } } })).map((r) => r.key).sort();
    // Written once the update's handling ends, just after the reply.
    for (let i = 0; i < 100 && (await keys()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await keys()).toEqual([expect.stringMatching(/^conversation:/), 'session:7007']);
    const retention = { sessionMs: 30 * 86_400_000, checkoutMs: 86_400_000 };
    await pruneBotSessions(system.db.prisma, retention, new Date(Date.now() + 3_600_000));
    expect(await keys()).toHaveLength(2); // an hour later: kept
    await pruneBotSessions(system.db.prisma, retention, new Date(Date.now() + 2 * 86_400_000));
    expect(await keys()).toEqual(['session:7007']); // two days later: the checkout's personal data is gone
    await pruneBotSessions(system.db.prisma, retention, new Date(Date.now() + 31 * 86_400_000));
    expect(await keys()).toEqual([]);
  });
});
