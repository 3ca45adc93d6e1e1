import type { AddressInfo } from 'node:net';
import got from 'got';
import { shopClock } from '../../activities/pricing';
import { createBot } from '../../bot/create-bot';
import type { PhotoMatch } from '../../bot/photo-search-port';
import { displayDate } from '../../bot/views';
import { telegramWebhook } from '../../bot/webhook';
import { createApp } from '../../api/app';
import { shopDate } from '../support/dates';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';
import { answerCheckout, botDeps, buttonsOf, runBot, seedCatalog, TelegramUser, textOf, type Call } from './support';

let system: TestSystem;
let bot: { stop(): Promise<void> };
const clock = { offsetMs: 0 };
const searched: Buffer[] = [];
let photoIndex = new Map<string, { exact: PhotoMatch[]; similar: PhotoMatch[] }>();
const deps = () =>
  botDeps(
    system,
    {
      searchByPhoto: async (bytes) => (
        searched.push(bytes),
        photoIndex.get(bytes.toString('base64')) ?? { exact: [], similar: [] }
      ),
    },
    clock,
  );

beforeAll(async () => {
  system = await startSystem();
  await seedCatalog(system);
  bot = runBot(deps());
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await system?.stop();
});
afterEach(() => void (clock.offsetMs = 0));

const user = (id: number, name = 'Айгуль') => new TelegramUser(system.telegram.url, id, name);
const products = () => system.db.prisma.product.findMany({ where: { available: true }, orderBy: { id: 'asc' } });

async function startCheckout(u: TelegramUser): Promise<void> {
  const [product] = await products();
  await u.press(`order:${product.externalId}`);
  await u.expect(/Оформляем/);
}

async function exchange(u: TelegramUser, say: () => Promise<void>, reply: RegExp): Promise<Call> {
  await say();
  return u.expect(reply);
}

describe('the checkout conversation', () => {
  test('every answer is validated with a clear re-ask; back returns to the previous question; abandon leaves', async () => {
    const u = user(6001);
    await startCheckout(u);
    await u.expect(/Сколько букетов/);
    for (const bad of ['0', 'много', '100']) await exchange(u, () => u.say(bad), /целое число от 1 до 99/);
    await exchange(
      u,
      () =>
        u.send(
          u.message({
            sticker: {
              file_id: 'x',
              file_unique_id: 'y',
              type: 'regular',
              width: 1,
              height: 1,
              is_animated: false,
              is_video: false,
            },
          }),
        ),
      /целое число/,
    );
    await exchange(u, () => u.say('3'), /Как зовут получателя/);
    await exchange(u, () => u.say('7'), /Напишите имя получателя/);
    await exchange(u, () => u.say('Мария'), /Телефон получателя/);
    await exchange(u, () => u.say('12345'), /не похоже на казахстанский номер/);
    await exchange(u, () => u.say('+7 701 123 45 67'), /Доставка или самовывоз/);
    await exchange(u, () => u.say('на такси'), /Выберите кнопкой/);
    await exchange(u, () => u.say('⬅️ Назад'), /Телефон получателя/);
    await exchange(u, () => u.say('87011234567'), /Доставка или самовывоз/);
    await exchange(u, () => u.say('🚚 Доставка'), /Адрес доставки/);
    await exchange(u, () => u.say('дом'), /адрес полностью/);
    await exchange(u, () => u.say('Алматы, пр. Абая 10'), /Когда доставить/);
    await exchange(u, () => u.say('31.02'), /Не понял дату/);
    await exchange(u, () => u.say('Другая дата'), /ДД\.ММ, например/);
    await exchange(u, () => u.say(displayDate(shopDate(-1))), /уже прошла/);
    await exchange(u, () => u.say(displayDate(shopDate(120))), /90 дней/);
    const slots = await exchange(u, () => u.say(displayDate(shopDate(2))), /Выберите время доставки/);
    expect(buttonsOf(slots).map((b) => b.text)).toContain('18:00-20:00');
    await exchange(u, () => u.say('09:00-10:00'), /кнопкой из списка/);
    await exchange(u, () => u.say('18:00-20:00'), /Текст открытки/);
    await exchange(u, () => u.say('ж'.repeat(501)), /слишком длинный/);
    await exchange(u, () => u.say('Люблю'), /Поделитесь своим номером/);
    await exchange(u, () => u.say('+77015211545'), /Нажмите кнопку «Поделиться номером»/);
    await exchange(u, () => u.shareContact('77019998877', 999), /чужой контакт/);
    await exchange(u, () => u.shareContact('+14155550100'), /номера Казахстана/);
    const summary = await exchange(u, () => u.shareContact('+77015211545'), /Проверьте заказ/);
    expect(textOf(summary)).toMatch(/× 3[\s\S]*Алматы, пр\. Абая 10[\s\S]*18:00-20:00[\s\S]*Открытка: Люблю/);
    await exchange(u, () => u.say('да'), /Нажмите «Подтвердить»/);
    await exchange(u, () => u.press('checkout:back'), /Поделитесь своим номером/);
    await exchange(u, () => u.shareContact('+77015211545'), /Проверьте заказ/);
    await exchange(u, () => u.press('checkout:abandon'), /Оформление отменено/);
    expect(await system.db.prisma.order.count({ where: { customer: { telegramUserId: 6001n } } })).toBe(0);
  });

  test('today offers no slot once the last one has started, in the shop time zone', async () => {
    const u = user(6002);
    const lateEvening = Date.parse(`${shopDate(0)}T21:30:00+05:00`);
    clock.offsetMs = lateEvening - Date.now();
    expect(shopClock(new Date(lateEvening), 'Asia/Almaty').minutes).toBeGreaterThanOrEqual(20 * 60);
    await startCheckout(u);
    await exchange(u, () => u.say('1'), /получател/);
    await exchange(u, () => u.say('Мария'), /Телефон получателя/);
    await exchange(u, () => u.say('87011234567'), /Доставка или самовывоз/);
    await exchange(u, () => u.say('🏪 Самовывоз'), /Когда доставить/); // pickup skips the address
    await exchange(u, () => u.say('Сегодня'), /свободного времени уже нет/);
    await exchange(u, () => u.say('✖️ Отменить'), /Оформление отменено/);
  });

  test('an abandoned checkout expires; a command leaves the checkout for its own handler', async () => {
    const u = user(6003);
    await startCheckout(u);
    clock.offsetMs = 3 * 3_600_000;
    await exchange(u, () => u.say('2'), /устарело/);
    await exchange(u, () => u.say('2'), /По запросу «2»/); // plain text is a search again

    await startCheckout(u);
    await exchange(u, () => u.say('/start'), /Здравствуйте/);
    await exchange(u, () => u.say('розы'), /По запросу «розы» нашлось/);
  });

  test('a double tap on confirm starts one order', async () => {
    const u = user(6004);
    await startCheckout(u);
    await answerCheckout(u);
    await u.send([u.tap('checkout:confirm'), u.tap('checkout:confirm')]);
    const trackingId = /CV[0-9A-Z]{10}/.exec(textOf(await u.expect(/оформлен!/)))![0];
    const answers = async () =>
      (await u.sent()).filter((c) => c.method === 'answerCallbackQuery' && /уже оформлен/.test(String(c.payload.text)));
    for (let i = 0; i < 50 && (await answers()).length === 0; i++) await u.sent((await u.sent()).length + 1, 200);
    expect(await answers()).toHaveLength(1);
    expect((await u.sent()).filter((c) => /оформлен!/.test(textOf(c)))).toHaveLength(1);
    await u.expect(/Оплатите заказ/);
    expect(await system.db.prisma.order.count({ where: { customer: { telegramUserId: 6004n } } })).toBe(1);
    const crmOrders = () => system.production.orders().filter((o) => o.railwayOrderId === trackingId);
    for (let i = 0; i < 100 && crmOrders().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(crmOrders()).toHaveLength(1);
  });

  test('a bot restart in the middle of a checkout loses nothing', async () => {
    const u = user(6005, 'Алия');
    await startCheckout(u);
    await exchange(u, () => u.say('2'), /получател/);
    await exchange(u, () => u.say('Алия'), /Телефон получателя/);
    await bot.stop(); // the process goes away; the next one shares only the database
    bot = runBot(deps());
    await exchange(u, () => u.say('8 701 111 22 33'), /Доставка или самовывоз/);
    await exchange(u, () => u.say('🏪 Самовывоз'), /Когда доставить/);
    await exchange(u, () => u.say('Завтра'), /Выберите время/);
    await exchange(u, () => u.say('10:00-12:00'), /Текст открытки/);
    await exchange(u, () => u.say('Без открытки'), /Поделитесь своим номером/);
    const summary = await exchange(u, () => u.shareContact('+77015211545'), /Проверьте заказ/);
    expect(textOf(summary)).toMatch(/× 2[\s\S]*Получатель: Алия, \+77011112233[\s\S]*Самовывоз/);
    await u.press('checkout:confirm');
    const trackingId = /CV[0-9A-Z]{10}/.exec(textOf(await u.expect(/оформлен!/)))![0];
    await u.expect(/Оплатите заказ/); // from the workflow, after it has recorded the order
    const row = await system.db.prisma.order.findUniqueOrThrow({ where: { trackingId }, include: { items: true } });
    expect(row).toMatchObject({ deliveryType: 'pickup', recipientName: 'Алия', slot: '10:00-12:00' });
    expect(row.items[0].quantity).toBe(2);
  });
});

describe('finding a bouquet', () => {
  test('search by photo: the largest size is downloaded inside the bot, exact and similar matches shown as cards', async () => {
    const u = user(6010);
    const [wanted, alike, other] = await products();
    const imageOf = (externalId: number) =>
      got(`${system.production.url}/static/products/${externalId}-1.jpg`).buffer();
    const bytes = await imageOf(wanted.externalId);
    const match = (p: typeof wanted, similarity: number): PhotoMatch => ({
      productId: p.id,
      title: p.title,
      priceKopecks: p.priceKopecks,
      similarity,
    });
    photoIndex = new Map([[bytes.toString('base64'), { exact: [match(wanted, 0.97)], similar: [match(alike, 0.78)] }]]);

    const upload = async (image: Buffer) =>
      got
        .post(`${system.telegram.url}/__control/files`, { body: image, headers: { 'content-type': 'image/jpeg' } })
        .json<{ photo: object[] }>();
    const stored = await upload(bytes);
    expect(stored.photo.length).toBeGreaterThan(1); // a thumbnail and the original
    await u.send(u.message({ photo: stored.photo }));
    await u.expect(/Нашли этот букет/);
    expect(textOf(await u.expect((c) => c.method === 'sendPhoto'))).toContain(wanted.title);
    await u.expect(/Похожие букеты/);
    const similar = await u.expect((c) => c.method === 'sendPhoto');
    expect(textOf(similar)).toContain(alike.title);
    expect(TelegramUser.button(similar, /Заказать/).callback_data).toBe(`order:${alike.externalId}`);
    expect(searched.at(-1)!.equals(bytes)).toBe(true);

    await u.send(u.message({ photo: (await upload(await imageOf(other.externalId))).photo }));
    const none = await u.expect(/такого букета у нас нет/);
    expect(buttonsOf(none).map((b) => b.callback_data)).toEqual(['cat:0']);
    expect(JSON.stringify(system.telegram.sent())).not.toContain(FIXTURES.telegramToken); // the file URL never left
  });

  test('text search pages through matches; nothing found offers the catalog', async () => {
    const u = user(6011);
    await u.say('тюльпаны');
    await u.expect(/По запросу «тюльпаны» нашлось букетов: \d+/);
    const first = await u.expect((c) => c.method === 'sendPhoto');
    expect(textOf(first).toLowerCase()).toContain('тюльпан');
    await u.press(TelegramUser.button(first, /▶️/).callback_data!);
    const second = await u.expect((c) => c.method === 'sendPhoto');
    expect(textOf(second)).not.toEqual(textOf(first));
    const none = await exchange(u, () => u.say('кактусы'), /ничего не нашлось/);
    expect(buttonsOf(none).map((b) => b.callback_data)).toEqual(['cat:0']);
  });

  test('an inbound flood is cut at the limit with one polite answer', async () => {
    const u = user(6012);
    const help = { text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] };
    await u.send(Array.from({ length: 80 }, () => u.message(help)));
    await u.expect(/Слишком много сообщений/, 30_000);
    const calls = await u.sent();
    expect(calls.filter((c) => /Как заказать/.test(textOf(c)))).toHaveLength(60);
    expect(calls.filter((c) => /Слишком много/.test(textOf(c)))).toHaveLength(1);
  });

  test('webhook mode: the API route checks the secret token and hands updates to the bot', async () => {
    const secret = 'test-telegram-webhook-secret';
    const app = createApp({
      temporal: system.client,
      prisma: system.db.prisma,
      orders: system.orders,
      webhookSecret: FIXTURES.webhookSecret,
      kaspiCallbackSecret: FIXTURES.kaspiSecret,
      routeKaspiEvent: async () => null,
      telegramWebhook: telegramWebhook(createBot(FIXTURES.telegramToken, deps()), secret),
    });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
      const u = user(6013);
      const update = {
        update_id: 900_001,
        ...u.message({
          message_id: 1,
          date: 1,
          text: '/help',
          entities: [{ type: 'bot_command', offset: 0, length: 5 }],
        }),
      };
      const post = (headers: Record<string, string>) =>
        got.post(url, { json: update, headers, throwHttpErrors: false });
      expect((await post({})).statusCode).toBe(401);
      expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': 'wrong-secret-0000000' })).statusCode).toBe(401);
      expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': secret })).statusCode).toBe(200);
      await u.expect(/Как заказать/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
