import { Writable } from 'node:stream';
import got from 'got';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { BotDeps } from '../../bot/context';
import { createLogger } from '../../common/logging';
import { ORDER_ERRORS } from '../../common/order';
import { createBot } from '../../bot/create-bot';
import type { PhotoMatch } from '../../bot/photo-search-port';
import { displayDate } from '../../bot/views';
import { telegramWebhook } from '../../bot/webhook';
import { shopDate } from '../support/dates';
import { startApi } from '../api/support';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';
import { answerCheckout, botDeps, buttonsOf, runBot, seedCatalog, TelegramUser, textOf, type Call } from './support';

let system: TestSystem;
let bot: { stop(): Promise<void> };
const clock = { offsetMs: 0 };
const searched: Buffer[] = [];
let photoIndex = new Map<string, { exact: PhotoMatch[]; similar: PhotoMatch[] }>();
let refuseNextPlace: Error | undefined;
let failCatalog: Error | undefined;
/** The bot's log lines, as its injected logger writes them. */
const logLines: string[] = [];
const logger = createLogger('bot', {
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
});
const deps = () => {
  const base = botDeps(system, { logger }, clock);
  return {
    ...base,
    searchByPhoto: async (bytes: Buffer) => (
      searched.push(bytes),
      photoIndex.get(bytes.toString('base64')) ?? { exact: [], similar: [] }
    ),
    // Seams: the workflow's refusal as the client reports it, a catalog that fails.
    orders: {
      ...base.orders,
      place: async (...args: Parameters<BotDeps['orders']['place']>) => {
        const refusal = refuseNextPlace;
        refuseNextPlace = undefined;
        if (refusal) throw new WorkflowUpdateFailedError('Workflow Update failed', refusal);
        return base.orders.place(...args);
      },
    },
    catalog: {
      ...base.catalog,
      byExternalId: async (id: number) => {
        if (failCatalog) throw failCatalog;
        return base.catalog.byExternalId(id);
      },
    },
  };
};

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

/** Presses a card's order button; by default waits for the first question. */
async function startCheckout(u: TelegramUser, wait = true): Promise<void> {
  const [product] = await products();
  await u.press(`order:${product.externalId}`);
  if (wait) await u.expect(/Оформляем[\s\S]*Доставка или самовывоз/);
}

async function exchange(u: TelegramUser, say: () => Promise<void>, reply: RegExp): Promise<Call> {
  await say();
  return u.expect(reply);
}

const dataOf = (call: Call) => buttonsOf(call).map((b) => b.callback_data);
const today = () => shopDate(0);

describe('the checkout conversation', () => {
  test('every answer is validated with a clear re-ask; a typed Kaspi number is read back; "Изменить" reopens one answer and returns to the summary', async () => {
    const u = user(6001);
    await startCheckout(u);
    await exchange(u, () => u.say('на такси'), /кнопкой под сообщением/);
    await exchange(u, () => u.press('co:type:delivery'), /Адрес доставки/);
    await exchange(u, () => u.say('дом'), /адрес полностью/);
    await exchange(u, () => u.say('Алматы, пр. Абая 10'), /Кто получит букет/);
    await exchange(u, () => u.say('7'), /Напишите имя получателя/);
    await exchange(u, () => u.say('Мария'), /Телефон получателя \(Мария\)/);
    await exchange(u, () => u.say('12345'), /не похоже на казахстанский номер/);
    const days = await exchange(u, () => u.say('+7 701 123 45 67'), /Когда доставить/);
    // Seven days as buttons, each with its weekday.
    expect(dataOf(days).filter((d) => d?.startsWith('co:date:'))).toHaveLength(7);
    expect(buttonsOf(days).map((b) => b.text)).toContain(
      `Завтра, ${['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'][new Date(`${shopDate(1)}T00:00:00Z`).getUTCDay()]} ${displayDate(shopDate(1)).slice(0, 5)}`,
    );
    await exchange(u, () => u.say('31.02'), /Не понял дату/);
    await exchange(u, () => u.say(displayDate(shopDate(-1))), /уже прошла/);
    await exchange(u, () => u.say(displayDate(shopDate(120))), /90 дней/);
    const slots = await exchange(u, () => u.say(displayDate(shopDate(2))), /Выберите время/);
    expect(dataOf(slots)).toContain('co:slot:18:00-20:00');
    await exchange(u, () => u.say('09:00-10:00'), /кнопкой из списка/);
    await exchange(u, () => u.press('co:days'), /Когда доставить/);
    await exchange(u, () => u.press(`co:date:${shopDate(2)}`), /Выберите время/);
    await exchange(u, () => u.press('co:slot:18:00-20:00'), /На какой номер выставить счёт Kaspi/);
    await exchange(u, () => u.say('абв'), /не похоже на казахстанский номер/);
    const readBack = await exchange(u, () => u.say('8 777 000 11 22'), /Счёт Kaspi придёт на \+77770001122\. Верно\?/);
    expect(dataOf(readBack)).toEqual(['co:phone:yes', 'co:phone:other']);
    await exchange(u, () => u.press('co:phone:other'), /На какой номер/);
    // A contact that is not the sender's own (a relative's Kaspi) works too, read back first.
    await exchange(u, () => u.shareContact('77019998877', 999), /придёт на \+77019998877/);
    const summary = await exchange(u, () => u.press('co:phone:yes'), /Проверьте заказ/);
    expect(textOf(summary)).toMatch(
      /× 1[\s\S]*Алматы, пр\. Абая 10[\s\S]*Мария, \+77011234567[\s\S]*18:00-20:00[\s\S]*\+77019998877/,
    );
    expect(dataOf(summary)).toEqual(
      expect.arrayContaining([
        'co:confirm',
        'co:edit:when',
        'co:edit:recipient',
        'co:edit:address',
        'co:edit:customerPhone',
      ]),
    );

    await exchange(u, () => u.say('да'), /Нажмите «Подтвердить»/);
    await exchange(u, () => u.press('co:edit:recipient'), /Кто получит букет/);
    const changed = await exchange(u, () => u.say('🙋 Я получатель'), /Проверьте заказ/);
    expect(textOf(changed)).toContain('Получатель: Айгуль, +77019998877');
    expect(textOf(changed)).toContain('Алматы, пр. Абая 10'); // nothing else asked again
    await exchange(u, () => u.press('co:edit:when'), /Когда доставить/);
    await exchange(u, () => u.press(`co:date:${shopDate(3)}`), /Выберите время/);
    const later = await exchange(u, () => u.press('co:slot:10:00-12:00'), /Проверьте заказ/);
    expect(textOf(later)).toContain(`Когда: ${displayDate(shopDate(3))}, 10:00-12:00`);
    await exchange(u, () => u.press('co:edit:deliveryType'), /Доставка или самовывоз/);
    const pickup = await exchange(u, () => u.press('co:type:pickup'), /Проверьте заказ/);
    expect(textOf(pickup)).toContain('Самовывоз: Астана, ул. Кенесары 40, каждый день 09:00-21:00');
    expect(textOf(pickup)).not.toContain('Доставка:');
    await exchange(u, () => u.press('co:abandon'), /Оформление отменено/);
    expect(await system.db.prisma.order.count({ where: { customer: { telegramUserId: 6001n } } })).toBe(0);
  });

  test('only days and slots that can still be delivered are offered, in the shop time zone; a slot that starts meanwhile is refused at the summary', async () => {
    const u = user(6002);
    clock.offsetMs = Date.parse(`${today()}T21:30:00+05:00`) - Date.now();
    await startCheckout(u);
    const days = await exchange(u, () => u.press('co:type:pickup'), /Когда заберёте/);
    expect(dataOf(days)).not.toContain(`co:date:${today()}`);
    expect(dataOf(days)[0]).toBe(`co:date:${shopDate(1)}`);
    expect(buttonsOf(days)[0].text).toMatch(/^Завтра, /);
    await exchange(u, () => u.say('Сегодня'), /Не понял дату/);
    await exchange(u, () => u.say(displayDate(today())), /свободного времени уже нет/);
    await exchange(u, () => u.press(`co:date:${today()}`), /свободного времени уже нет/); // an old button

    clock.offsetMs = Date.parse(`${today()}T14:30:00+05:00`) - Date.now();
    await exchange(u, () => u.say('/start'), /Здравствуйте/);
    await startCheckout(u);
    const midday = await exchange(u, () => u.press('co:type:pickup'), /Когда заберёте/);
    expect(dataOf(midday)[0]).toBe(`co:date:${today()}`);
    const slots = await exchange(u, () => u.press(`co:date:${today()}`), /Выберите время/);
    // 14:00-16:00 has started: never offered.
    expect(dataOf(slots).filter((d) => d?.startsWith('co:slot:'))).toEqual([
      'co:slot:16:00-18:00',
      'co:slot:18:00-20:00',
      'co:slot:20:00-22:00',
    ]);
    await exchange(u, () => u.press('co:slot:16:00-18:00'), /На какой номер/);
    await exchange(u, () => u.shareContact('+77015211545'), /Проверьте заказ/);
    clock.offsetMs = Date.parse(`${today()}T16:05:00+05:00`) - Date.now();
    await exchange(u, () => u.press('co:confirm'), /Это время уже недоступно/);
    const again = await u.expect(/Выберите время/);
    expect(dataOf(again)).not.toContain('co:slot:16:00-18:00');
    await exchange(u, () => u.press('co:abandon'), /Оформление отменено/);
  });

  test('an abandoned checkout expires; a command leaves the checkout, says so, and "continue" picks it up where it was', async () => {
    const u = user(6003);
    await startCheckout(u);
    clock.offsetMs = 3 * 3_600_000;
    await exchange(u, () => u.press('co:type:pickup'), /устарело/);
    await exchange(u, () => u.say('2'), /По запросу «2»/); // plain text is a search again
    clock.offsetMs = 0;

    await startCheckout(u);
    await exchange(u, () => u.press('co:type:pickup'), /Когда заберёте/);
    await exchange(u, () => u.press(`co:date:${shopDate(1)}`), /Выберите время/);
    const left = await exchange(u, () => u.say('/start'), /Оформление «.+» приостановлено/);
    expect(dataOf(left)).toEqual(['co:resume']);
    await u.expect(/Здравствуйте/); // and the command did its own work
    await exchange(u, () => u.say('розы'), /По запросу «розы» нашлось/);
    await exchange(u, () => u.press('co:resume'), /Выберите время на/); // the day was kept
    await exchange(u, () => u.press('co:slot:12:00-14:00'), /На какой номер/);
    const summary = await exchange(u, () => u.shareContact('+77015211545'), /Проверьте заказ/);
    expect(textOf(summary)).toContain(`${displayDate(shopDate(1))}, 12:00-14:00`);
    await exchange(u, () => u.press('co:abandon'), /Оформление отменено/);
    await exchange(u, () => u.press('co:resume'), /Незаконченного оформления нет/);
  });

  test('a double tap on confirm starts one order', async () => {
    const u = user(6004);
    await startCheckout(u, false);
    await answerCheckout(u);
    await u.send([u.tap('co:confirm'), u.tap('co:confirm')]);
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

  test('confirm with no worker: the customer hears the order is taken, its bill comes once workers return, and confirming again lands on it', async () => {
    const u = user(6011);
    await startCheckout(u, false);
    await answerCheckout(u);
    await system.stopWorkers();
    let trackingId: string;
    try {
      await u.press('co:confirm');
      const busy = await u.expect(/принят, но сервис заказов сейчас занят/, 30_000);
      trackingId = /CV[0-9A-Z]{10}/.exec(textOf(busy))![0];
    } finally {
      await system.startWorkers(); // the other tests need them, whatever happened above
    }
    await u.expect(/Оплатите заказ/, 40_000);
    // The summary is still there: "Подтвердить" again lands on the same order.
    await u.press('co:confirm');
    expect(textOf(await u.expect(/оформлен!/))).toContain(trackingId);
    expect(await system.db.prisma.order.count({ where: { customer: { telegramUserId: 6011n } } })).toBe(1);
    expect(system.production.payments().filter((p) => p.message.includes(trackingId))).toHaveLength(1);
  }, 120_000);

  test('the next order offers the saved Kaspi phone, the last address and recipient as buttons; "repeat" asks only the day and time', async () => {
    const u = user(6004); // ordered in the test above
    await u.catchUp();
    await startCheckout(u);
    const address = await exchange(u, () => u.press('co:type:delivery'), /Адрес доставки/);
    expect(buttonsOf(address).map((b) => b.text)).toContain('Астана, ул. Кенесары 40, кв 5');
    const recipient = await exchange(u, () => u.say('Астана, ул. Кенесары 40, кв 5'), /Кто получит букет/);
    expect(buttonsOf(recipient).map((b) => b.text)).toEqual(
      expect.arrayContaining(['🙋 Я получатель', 'Мария, +77011234567']),
    );
    await exchange(u, () => u.say('Мария, +77011234567'), /Когда доставить/);
    await exchange(u, () => u.press(`co:date:${shopDate(1)}`), /Выберите время/);
    const phone = await exchange(u, () => u.press('co:slot:12:00-14:00'), /Нажмите \+77015211545/);
    expect(buttonsOf(phone)[0].text).toBe('+77015211545');
    const summary = await exchange(u, () => u.say('+77015211545'), /Проверьте заказ/); // no read-back: it is theirs
    expect(textOf(summary)).toContain('Получатель: Мария, +77011234567');
    await exchange(u, () => u.press('co:abandon'), /Оформление отменено/);

    const [earlier] = await system.db.prisma.order.findMany({ where: { customer: { telegramUserId: 6004n } } });
    await exchange(u, () => u.say('/orders'), /Ваши заказы/);
    await exchange(u, () => u.press(`ord:r:${earlier.trackingId}`), /Когда доставить/);
    await exchange(u, () => u.press(`co:date:${shopDate(2)}`), /Выберите время/);
    const repeated = await exchange(u, () => u.press('co:slot:16:00-18:00'), /Проверьте заказ/);
    expect(textOf(repeated)).toMatch(
      /Астана, ул\. Кенесары 40, кв 5[\s\S]*Мария, \+77011234567[\s\S]*16:00-18:00[\s\S]*\+77015211545/,
    );
    await exchange(u, () => u.press('co:abandon'), /Оформление отменено/);
  });

  test('a bot restart in the middle of a checkout loses nothing', async () => {
    const u = user(6005, 'Алия');
    await startCheckout(u);
    await exchange(u, () => u.press('co:type:delivery'), /Адрес доставки/);
    await exchange(u, () => u.say('Астана, пр. Мәңгілік Ел 20'), /Кто получит букет/);
    await bot.stop(); // the process goes away; the next one shares only the database
    bot = runBot(deps());
    await exchange(u, () => u.say('Алия'), /Телефон получателя/);
    await exchange(u, () => u.say('8 701 111 22 33'), /Когда доставить/);
    await exchange(u, () => u.press(`co:date:${shopDate(1)}`), /Выберите время/);
    await exchange(u, () => u.press('co:slot:10:00-12:00'), /На какой номер/);
    await exchange(u, () => u.shareContact('+77015211545'), /Проверьте заказ/);
    await exchange(u, () => u.press('co:edit:quantity'), /Сколько букетов/);
    const summary = await exchange(u, () => u.say('2'), /Проверьте заказ/);
    expect(textOf(summary)).toMatch(/× 2[\s\S]*Получатель: Алия, \+77011112233/);
    await u.press('co:confirm');
    const trackingId = /CV[0-9A-Z]{10}/.exec(textOf(await u.expect(/оформлен!/)))![0];
    await u.expect(/Оплатите заказ/); // from the workflow, after it has recorded the order
    const row = await system.db.prisma.order.findUniqueOrThrow({ where: { trackingId }, include: { items: true } });
    expect(row).toMatchObject({ deliveryType: 'delivery', recipientName: 'Алия', slot: '10:00-12:00' });
    expect(row.items[0].quantity).toBe(2);
  });

  test("a refusal of the order workflow is said in the customer's words and reopens the refused answer", async () => {
    const u = user(6006);
    refuseNextPlace = ApplicationFailure.create({
      type: ORDER_ERRORS.invalid,
      message: 'the slot 14:00-16:00 today has already passed',
      details: [{ field: 'delivery.slot' }],
      nonRetryable: true,
    });
    await startCheckout(u, false);
    await answerCheckout(u, { pickup: true });
    await exchange(u, () => u.press('co:confirm'), /Это время уже недоступно/);
    await exchange(u, () => Promise.resolve(), /Выберите время на/);
    expect((await u.sent()).map(textOf).join('\n')).not.toMatch(/already passed|delivery\.slot/);
    await exchange(u, () => u.press('co:slot:18:00-20:00'), /Проверьте заказ/);
    await exchange(u, () => u.press('co:confirm'), /оформлен!/);
  });

  test('a failure inside the checkout reaches the error boundary: the customer gets an answer, no token is logged', async () => {
    const u = user(6007);
    const before = logLines.length;
    try {
      await startCheckout(u, false);
      await answerCheckout(u, { pickup: true });
      // The catalog read at the summary's confirm fails with an error that carries a Bot API URL, as grammY's do.
      failCatalog = new Error(`request to ${system.telegram.url}/bot${FIXTURES.telegramToken}/sendMessage failed`);
      await exchange(u, () => u.press('co:edit:quantity'), /Сколько букетов/);
      await exchange(u, () => u.say('3'), /Что-то пошло не так/);
      const lines = logLines.slice(before);
      const failure = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.level === 'error');
      expect(failure).toMatchObject({ process: 'bot', msg: 'bot: update failed' });
      expect(String(failure?.error)).toContain('/bot<token>/sendMessage');
      expect(lines.join('\n')).not.toContain(FIXTURES.telegramToken);
    } finally {
      failCatalog = undefined;
    }
    await startCheckout(u); // and the bot is not stuck in the broken checkout
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
    // The card edited in place where the stand-in knows editMessageMedia, else a new one.
    const second = await u.expect(
      (c) => c.ok !== false && (c.method === 'sendPhoto' || c.method === 'editMessageMedia'),
    );
    const caption =
      second.method === 'sendPhoto' ? textOf(second) : (second.payload.media as { caption: string }).caption;
    expect(caption).not.toEqual(textOf(first));
    expect(caption.toLowerCase()).toContain('тюльпан');
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
    const api = await startApi(system, {
      telegramWebhook: telegramWebhook(createBot(FIXTURES.telegramToken, deps()), secret),
    });
    try {
      const url = `${api.url}/telegram/webhook`;
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
      await api.close();
    }
  });
});
