import got from 'got';
import { signCallback } from '../../api/secrets';
import { formatTenge } from '../../common/money';
import { shopDate } from '../support/dates';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';
import {
  answerCheckout,
  botDeps,
  BUTTONS,
  buttonsOf,
  runBot,
  seedCatalog,
  SHOP,
  TelegramUser,
  textOf,
  type Call,
} from './support';

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

const trackingIdIn = (text: string) => /CV[0-9A-Z]{10}/.exec(text)![0];

async function pay(trackingId: string): Promise<void> {
  const { payment } = await system.orders.status(trackingId);
  await got.post(`${system.production.url}/__control/payments/${payment.externalId}`, {
    json: { status: 'Processed' },
  });
  // The aggregator's signed callback: the faster path, so the test does not wait for the 15 s poll.
  const body = JSON.stringify({ externalId: payment.externalId, status: 'Processed' });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = signCallback(body, timestamp, FIXTURES.kaspiSecret);
  await got.post(`${system.apiUrl}/api/v1/webhooks/kaspi`, {
    body,
    headers: { 'content-type': 'application/json', 'X-Signature': signature, 'X-Timestamp': timestamp },
  });
}

async function crmStatus(trackingId: string, status: string, assembledImage?: string): Promise<void> {
  const crmOrderId = await until(async () => (await system.orders.status(trackingId)).crm.orderId);
  await got.post(`${system.production.url}/__control/orders/${crmOrderId}/status`, {
    json: { status, assembledImage },
  });
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value as T;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function placeOrder(user: TelegramUser, language: 'ru' | 'kk' = 'ru'): Promise<string> {
  await user.say(BUTTONS[language].catalog);
  const card = await user.expect((c) => c.method === 'sendPhoto');
  await user.press(TelegramUser.button(card, /🛒/).callback_data!);
  await answerCheckout(user, { language });
  await user.press('co:confirm');
  return trackingIdIn(textOf(await user.expect(/CV[0-9A-Z]{10}/)));
}

/** The next card after paging: the same message edited in place where the stand-in knows editMessageMedia. */
const pagedCard = (c: Call) => c.ok !== false && (c.method === 'editMessageMedia' || c.method === 'sendPhoto');
const cardText = (c: Call) =>
  c.method === 'editMessageMedia' ? String((c.payload.media as { caption?: string }).caption) : textOf(c);

describe('a customer orders in the bot and follows the order to the door', () => {
  test('in Russian: /start, catalog, checkout, changes on the summary, Kaspi payment, every status, /orders', async () => {
    const user = new TelegramUser(system.telegram.url, 5001, 'Айгуль');
    await user.say('/start');
    const greeting = await user.expect(/Здравствуйте, Айгуль/);
    expect(buttonsOf(greeting).map((b) => b.text)).toEqual(
      expect.arrayContaining(['💐 Каталог', '📷 Поиск по фото', '📦 Мои заказы', '❓ Помощь']),
    );

    await user.say('💐 Каталог');
    const first = await user.expect((c) => c.method === 'sendPhoto');
    const products = await system.db.prisma.product.findMany({
      where: { available: true },
      orderBy: { id: 'asc' },
      take: 2,
    });
    expect(textOf(first)).toContain(products[0].title);
    expect(textOf(first)).toContain(formatTenge(products[0].priceKopecks));
    expect(String(first.payload.photo)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/static\/products\//);
    await user.press(TelegramUser.button(first, /▶️/).callback_data!);
    const second = await user.expect(pagedCard);
    expect(cardText(second)).toContain(products[1].title);

    await user.press(TelegramUser.button(second, /Заказать/).callback_data!);
    const { question, summary: firstSummary } = await answerCheckout(user);
    // The first question names the bouquet, has the fee on its button, the shop's address and hours for pickup.
    expect(textOf(question)).toContain(`Оформляем «${products[1].title}»`);
    expect(buttonsOf(question).map((b) => b.text)).toEqual(
      expect.arrayContaining([`🚚 Доставка · ${formatTenge(250_000)}`, '🏪 Самовывоз · бесплатно']),
    );
    expect(textOf(question)).toContain(`${SHOP.address}, каждый день ${SHOP.hours}`);
    expect(textOf(firstSummary)).toContain('× 1');
    // "Изменить" per field: quantity and card text are changed on the summary, each coming straight back to it.
    await user.press('co:edit:quantity');
    await user.expect(/Сколько букетов/);
    await user.say('2');
    await user.expect(/Проверьте заказ/);
    await user.press('co:edit:cardText');
    await user.expect(/Текст открытки/);
    await user.say('С днём рождения!');
    const summary = await user.expect(/Проверьте заказ/);
    const total = products[1].priceKopecks * 2 + 250_000;
    expect(textOf(summary)).toContain(`Итого: ${formatTenge(total)}`);
    expect(textOf(summary)).toContain('Открытка: С днём рождения!');
    expect(textOf(summary)).toContain('Получатель: Мария, +77011234567');
    expect(textOf(summary)).toContain('+77015211545');

    await user.press('co:confirm');
    const placed = await user.expect(/оформлен/);
    const trackingId = trackingIdIn(textOf(placed));
    expect(textOf(placed)).toContain(formatTenge(total));
    await user.expect(new RegExp(`Оплатите заказ ${trackingId}`));

    const view = await system.orders.status(trackingId);
    expect(view).toMatchObject({
      totalKopecks: total,
      customer: { phone: '+77015211545' },
      recipient: { name: 'Мария', phone: '+77011234567' },
      delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', date: shopDate(1), slot: '14:00-16:00' },
      items: [{ productId: products[1].externalId, quantity: 2 }],
      cardText: 'С днём рождения!',
    });

    await pay(trackingId);
    await user.expect(new RegExp(`Оплата заказа ${trackingId} получена`));
    await crmStatus(trackingId, 'AP');
    await user.expect(/Флорист принял/);
    const photoUrl = `${system.production.url}/static/products/${products[1].externalId}-1.jpg`;
    await crmStatus(trackingId, 'CO', photoUrl);
    // The workflow sends the photo of the finished bouquet, with the status as its caption.
    const ready = await user.expect(
      (c) =>
        c.method === 'sendPhoto' && new RegExp(`Букет по заказу ${trackingId} готов`).test(String(c.payload.caption)),
    );
    expect(ready.payload.photo).toBe(photoUrl);
    await crmStatus(trackingId, 'DE');
    await user.expect(/Курьер уже везёт/);
    await crmStatus(trackingId, 'F');
    await user.expect(new RegExp(`Заказ ${trackingId} доставлен`));

    await user.say('/orders');
    const list = await user.expect(/Ваши заказы/);
    expect(textOf(list)).toMatch(new RegExp(`${trackingId} · доставлен`));
    // Details and "repeat"; nothing left to cancel.
    expect(buttonsOf(list).map((b) => b.callback_data)).toEqual([`ord:s:${trackingId}`, `ord:r:${trackingId}`]);
    await user.press(`ord:s:${trackingId}`);
    const details = await user.expect(new RegExp(`Заказ ${trackingId}: доставлен[\\s\\S]*Оплата: оплачено`));
    expect(buttonsOf(details).map((b) => b.text)).toEqual([
      '🔁 Повторить заказ',
      'ℹ️ Подробнее',
      '📞 Связаться с магазином',
    ]);
  });

  test('in Kazakh: the language chosen once, text search, a shared location, "I am the recipient", paid and delivered', async () => {
    const user = new TelegramUser(system.telegram.url, 5002, 'Айдос');
    await user.say('/start');
    await user.expect(/Здравствуйте/);
    await user.say('🌐 Язык');
    await user.expect(/Тілді таңдаңыз/);
    await user.press('lang:kk');
    await user.expect(/қазақша сөйлесеміз/);
    await user.say('/start');
    await user.expect(/Сәлеметсіз бе, Айдос/);

    await user.say('эустома');
    await user.expect(/«эустома» бойынша табылған/);
    const card = await user.expect((c) => c.method === 'sendPhoto');
    expect(textOf(card).toLowerCase()).toContain('эустом');
    await user.press(TelegramUser.button(card, /Тапсырыс беру/).callback_data!);
    const { question, summary } = await answerCheckout(user, { language: 'kk', location: true, self: true });
    expect(textOf(question)).toMatch(/рәсімдейміз/);
    expect(buttonsOf(question).map((b) => b.text)).toContain('🏪 Өзім алып кетемін · тегін');
    expect(textOf(summary)).toContain('Мекенжай: 📍 51.12826, 71.43041');
    expect(textOf(summary)).toContain('Алушы: Айдос, +77015211545');
    await user.press('co:confirm');
    const trackingId = trackingIdIn(textOf(await user.expect(/рәсімделді/)));
    await user.expect(new RegExp(`${trackingId} тапсырысын төлеңіз`));

    await pay(trackingId);
    await user.expect(new RegExp(`${trackingId} тапсырысының төлемі алынды`));
    for (const status of ['AP', 'CO', 'DE']) await crmStatus(trackingId, status);
    await user.expect(/Курьер .* жеткізіп келеді/);
    await crmStatus(trackingId, 'F');
    await user.expect(new RegExp(`${trackingId} тапсырысы жеткізілді`));
    const customer = await system.db.prisma.customer.findUniqueOrThrow({ where: { telegramUserId: 5002n } });
    expect(customer).toMatchObject({ language: 'kk', phone: '+77015211545', telegramChatId: 5002n });
    expect((await system.orders.status(trackingId)).recipient).toEqual({ name: 'Айдос', phone: '+77015211545' });
  });

  test.each(['ru', 'kk'] as const)(
    'the shortest order (%s): /start to the Kaspi request in 8 customer actions, pickup says "можно забирать"',
    async (language) => {
      const user = new TelegramUser(system.telegram.url, language === 'ru' ? 5006 : 5007, 'Асель', language);
      let actions = 0;
      const act = async (action: Promise<void>) => {
        await action;
        actions += 1;
      };
      await act(user.say('/start'));
      await user.expect(language === 'ru' ? /Здравствуйте/ : /Сәлеметсіз бе/);
      await act(user.say(BUTTONS[language].catalog));
      const card = await user.expect((c) => c.method === 'sendPhoto');
      await act(user.press(TelegramUser.button(card, /🛒/).callback_data!));
      const { answers } = await answerCheckout(user, { language, pickup: true });
      actions += answers;
      await act(user.press('co:confirm'));
      const trackingId = trackingIdIn(textOf(await user.expect(/CV[0-9A-Z]{10}/)));
      await user.expect(
        new RegExp(language === 'ru' ? `Оплатите заказ ${trackingId}` : `${trackingId} тапсырысын төлеңіз`),
      );
      console.log(
        `shortest order (${language}): ${actions} customer messages and taps from /start to the Kaspi request`,
      );
      expect(actions).toBe(8);
      expect(await system.orders.status(trackingId)).toMatchObject({
        delivery: { type: 'pickup' },
        recipient: { name: 'Асель', phone: '+77015211545' },
      });

      await pay(trackingId);
      await crmStatus(trackingId, 'DE');
      await user.expect(language === 'ru' ? /ждёт вас в магазине — можно забирать/ : /алып кетуге болады/);
      expect(textOf((await user.sent()).at(-1)!)).not.toMatch(/[Кк]урьер/);
    },
  );

  test('cancel: asks "are you sure?", allowed before delivery, refused by the workflow once the courier has it', async () => {
    const user = new TelegramUser(system.telegram.url, 5003, 'Гульнара');
    const first = await placeOrder(user);
    await user.expect(/Оплатите заказ/);
    await user.say('/orders');
    const list = await user.expect(/Ваши заказы/);
    expect(TelegramUser.button(list, /Отменить/).callback_data).toBe(`ord:c:${first}`);
    await user.press(`ord:c:${first}`);
    const sure = await user.expect(new RegExp(`Вы уверены, что хотите отменить заказ ${first}`));
    await user.press(TelegramUser.button(sure, /Нет, оставить/).callback_data!);
    await user.expect(new RegExp(`заказ ${first} остаётся в силе`));
    expect((await system.orders.status(first)).status).toBe('awaiting_payment');
    await user.press(TelegramUser.button(sure, /Да, отменить/).callback_data!);
    await user.expect(new RegExp(`Заказ ${first} отменён\\.`));
    await user.expect(new RegExp(`Заказ ${first} отменён: по вашей просьбе`));
    expect((await system.orders.status(first)).status).toBe('cancelled');

    const second = await placeOrder(user);
    await user.expect(/Оплатите заказ/);
    await pay(second);
    await user.expect(/получена/);
    await crmStatus(second, 'DE');
    await user.expect(/Курьер уже везёт/);
    await user.press(`ord:x:${second}`); // "yes, cancel" of a question asked while it was still possible
    await user.expect(new RegExp(`Заказ ${second} уже нельзя отменить: в доставке`));
    expect((await system.orders.status(second)).status).toBe('in_delivery');
  });

  test('days with Kazakh weekdays, a typed number read back, "Изменить", a command that pauses, cancel that asks first, "бас тартылды"', async () => {
    const u = new TelegramUser(system.telegram.url, 5008, 'Дана', 'kk');
    const [product] = await system.db.prisma.product.findMany({ where: { available: true }, orderBy: { id: 'asc' } });
    await u.press(`order:${product.externalId}`);
    const first = await u.expect(/рәсімдейміз[\s\S]*Жеткізу ме/);
    expect(textOf(first)).toContain('Өзіңіз алып кету: Астана, ул. Кенесары 40, күн сайын 09:00-21:00');
    await u.press('co:type:pickup');
    const days = await u.expect(/Қашан алып кетесіз/);
    const weekday = ['жс', 'дс', 'сс', 'ср', 'бс', 'жм', 'сн'][new Date(`${shopDate(1)}T00:00:00Z`).getUTCDay()];
    expect(buttonsOf(days).map((b) => b.text)).toContain(
      `Ертең, ${weekday} ${shopDate(1).slice(8)}.${shopDate(1).slice(5, 7)}`,
    );
    await u.press(`co:date:${shopDate(1)}`);
    await u.expect(/уақытты таңдаңыз/);
    await u.say('/orders');
    const left = await u.expect(/рәсімдеуі кідіртілді/);
    expect(TelegramUser.button(left, /Рәсімдеуді жалғастыру/).callback_data).toBe('co:resume');
    await u.press('co:resume');
    await u.expect(/уақытты таңдаңыз/);
    await u.press('co:slot:16:00-18:00');
    await u.expect(/Kaspi шотын қай нөмірге/);
    await u.say('+7 702 333 44 55');
    await u.expect(/Kaspi шоты \+77023334455 нөміріне келеді\. Дұрыс па\?/);
    await u.press('co:phone:yes');
    const summary = await u.expect(/Тапсырысты тексеріңіз/);
    expect(buttonsOf(summary).map((b) => b.text)).toEqual(
      expect.arrayContaining(['✅ Растау', '✏️ Күні мен уақыты', '✏️ Саны', '✉️ Ашықхат', '✏️ Телефон']),
    );
    await u.press('co:edit:cardText');
    await u.expect(/Ашықхат мәтіні/);
    await u.say('Туған күніңмен!');
    const changed = await u.expect(/Тапсырысты тексеріңіз/);
    expect(textOf(changed)).toContain('Ашықхат: Туған күніңмен!');
    await u.press('co:confirm');
    const trackingId = trackingIdIn(textOf(await u.expect(/рәсімделді/)));
    await u.expect(new RegExp(`${trackingId} тапсырысын төлеңіз`));

    await u.press(`ord:c:${trackingId}`);
    const sure = await u.expect(new RegExp(`${trackingId} тапсырысынан шынымен бас тартасыз ба`));
    await u.press(TelegramUser.button(sure, /Иә, бас тарту/).callback_data!);
    await u.expect(new RegExp(`${trackingId} тапсырысынан бас тартылды\\.`));
    await u.expect(new RegExp(`${trackingId} тапсырысынан бас тартылды: сіздің өтінішіңіз бойынша`));
    expect((await u.sent()).map(textOf).join('\n')).not.toMatch(/тоқтатылды/);
  });

  test('another customer cannot see or cancel an order by forging the button', async () => {
    const owner = new TelegramUser(system.telegram.url, 5004);
    const trackingId = await placeOrder(owner);
    const stranger = new TelegramUser(system.telegram.url, 5005, 'Чужой');
    for (const data of [`ord:x:${trackingId}`, `ord:s:${trackingId}`, `ord:r:${trackingId}`, `ord:p:${trackingId}`]) {
      await stranger.press(data);
      await stranger.expect(/Заказ не найден/);
    }
    expect((await system.orders.status(trackingId)).status).not.toBe('cancelled');
  });
});
