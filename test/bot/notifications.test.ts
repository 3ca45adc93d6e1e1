import { inspect } from 'node:util';
import { Api, HttpError } from 'grammy';
import { notificationButtons } from '../../activities/notification-buttons';
import { notificationText, photoLinkText } from '../../activities/notification-texts';
import { callbackPattern } from '../../bot/callback-data';
import { describeError } from '../../bot/redact';
import type { OrderView } from '../../common/order';

const order = (over: Partial<OrderView> = {}): OrderView => ({
  trackingId: 'CVABCDEFGH23',
  status: 'awaiting_payment',
  totalKopecks: 2_032_000,
  deliveryFeeKopecks: 250_000,
  items: [{ productId: 697695, title: 'Нежность', quantity: 1, priceKopecks: 1_782_000 }],
  delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40', date: '2026-12-03', slot: '14:00-16:00' },
  customer: { phone: '+77015211545' },
  payment: { status: 'requested', externalId: 'K1', deadline: '2026-12-02T09:35:00.000Z' },
  crm: {},
  history: [],
  ...over,
});
const texts = (markup: ReturnType<typeof notificationButtons>) => markup!.inline_keyboard.flat().map((b) => b.text);
const data = (markup: ReturnType<typeof notificationButtons>) =>
  markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));

describe('status messages: words from the locale files, in both languages', () => {
  test('the payment request and its reminder say the deadline in the shop time', () => {
    expect(notificationText('awaiting_payment', 'ru', order())).toMatch(
      /^Оплатите заказ CVABCDEFGH23 до 14:35: мы отправили счёт на 20\u202f320\u00a0₸ в Kaspi на номер \+77015211545\./,
    );
    expect(notificationText('awaiting_payment', 'kk', order())).toContain('төлем мерзімі — 14:35');
    expect(notificationText('payment_reminder', 'ru', order())).toMatch(
      /Напоминаем: оплатите заказ CVABCDEFGH23 до 14:35/,
    );
    expect(notificationText('payment_reminder', 'kk', order())).toMatch(/Еске саламыз: .*14:35/);
    // Another shop time zone, and a view without a deadline.
    expect(notificationText('payment_reminder', 'ru', order(), { timeZone: 'Europe/Moscow' })).toContain('до 12:35');
    const noDeadline = order({ payment: { status: 'requested' } });
    expect(notificationText('awaiting_payment', 'ru', noDeadline)).toMatch(
      /^Оплатите заказ CVABCDEFGH23: мы отправили/,
    );
  });

  test('pickup says "можно забирать", never the courier; Kazakh cancellations are "бас тартылды"', () => {
    const pickup = order({
      status: 'in_delivery',
      delivery: { type: 'pickup', date: '2026-12-03', slot: '14:00-16:00' },
    });
    expect(notificationText('in_delivery', 'ru', pickup)).toBe(
      'Заказ CVABCDEFGH23 ждёт вас в магазине — можно забирать.',
    );
    expect(notificationText('assembled', 'ru', pickup)).toMatch(/можно забирать/);
    expect(notificationText('in_delivery', 'kk', pickup)).toMatch(/алып кетуге болады/);
    expect(notificationText('in_delivery', 'ru', order({ status: 'in_delivery' }))).toMatch(/Курьер/);
    const cancelled = order({ status: 'cancelled', cancelReason: 'payment_expired' });
    expect(notificationText('cancelled', 'kk', cancelled)).toBe(
      'CVABCDEFGH23 тапсырысынан бас тартылды: төлем уақыты өтті.',
    );
    expect(notificationText('cancelled', 'ru', cancelled)).toBe('Заказ CVABCDEFGH23 отменён: время оплаты истекло.');
    for (const event of ['paid', 'accepted', 'assembled', 'delivered', 'refunded', 'new'] as const) {
      for (const language of ['ru', 'kk'] as const) {
        const text = notificationText(event, language, order({ status: event === 'refunded' ? 'cancelled' : event }));
        expect(text).toContain('CVABCDEFGH23');
        expect(text).not.toMatch(/[{}]|undefined|missing/);
      }
    }
    expect(photoLinkText('kk', 'https://x/p.jpg')).toBe('Гүл шоғының суреті: https://x/p.jpg');
  });
});

describe('status message buttons', () => {
  test('awaiting payment: "счёт не пришёл / другой номер", details, cancel, contact the shop', () => {
    const markup = notificationButtons('awaiting_payment', 'ru', order());
    expect(texts(markup)).toEqual([
      '💳 Счёт не пришёл / другой номер',
      'ℹ️ Подробнее',
      '✖️ Отменить заказ',
      '📞 Связаться с магазином',
    ]);
    expect(data(markup)).toEqual(['ord:p:CVABCDEFGH23', 'ord:s:CVABCDEFGH23', 'ord:c:CVABCDEFGH23', 'shop']);
    expect(texts(notificationButtons('payment_reminder', 'kk', order()))[0]).toBe('💳 Шот келмеді / басқа нөмір');
  });

  test('no cancel once in delivery; "Оформить заново" after expiry; "Повторить заказ" after delivery', () => {
    expect(data(notificationButtons('in_delivery', 'ru', order({ status: 'in_delivery' })))).toEqual([
      'ord:s:CVABCDEFGH23',
      'shop',
    ]);
    const expired = order({ status: 'cancelled', cancelReason: 'payment_expired', payment: { status: 'expired' } });
    expect(texts(notificationButtons('cancelled', 'ru', expired))).toEqual([
      '🔁 Оформить заново',
      'ℹ️ Подробнее',
      '📞 Связаться с магазином',
    ]);
    expect(texts(notificationButtons('delivered', 'kk', order({ status: 'delivered' })))[0]).toBe(
      '🔁 Тапсырысты қайталау',
    );
  });

  test('every button is one the bot answers', () => {
    const handled = [...Object.values(callbackPattern)];
    for (const status of ['awaiting_payment', 'paid', 'in_delivery', 'delivered', 'cancelled'] as const) {
      for (const d of data(notificationButtons(status, 'ru', order({ status, cancelReason: 'shop' })))) {
        expect(d === 'shop' || handled.some((p) => p.test(d))).toBe(true);
      }
    }
  });
});

test('a grammY network error carries the token in its URL; the bot logs it without', async () => {
  const token = '123456:TEST-token-of-a-fixture-abcdef';
  const api = new Api(token, { apiRoot: 'http://127.0.0.1:9' });
  const error = await api.sendMessage(1, 'x').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  expect(inspect(error, { depth: 5 })).toContain(token);
  expect(describeError(error)).not.toContain(token);
  expect(describeError(error)).toContain('sendMessage');
});
