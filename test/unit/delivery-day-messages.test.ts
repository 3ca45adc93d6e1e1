import { notificationButtons } from '../../activities/notification-buttons';
import { notificationText } from '../../activities/notification-texts';
import { callbackData, callbackPattern } from '../../bot/callback-data';
import type { OrderView } from '../../common/order';
import { shopInstant } from '../../common/shop-time';

const order = (over: Partial<OrderView> = {}): OrderView => ({
  trackingId: 'CVABCDEFGH23',
  status: 'assembled',
  totalKopecks: 2_032_000,
  deliveryFeeKopecks: 250_000,
  items: [{ productId: 697695, title: 'Нежность', quantity: 1, priceKopecks: 1_782_000 }],
  delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40', date: '2026-12-03', slot: '14:00-16:00' },
  recipient: { name: 'Мария' },
  customer: { phone: '+77015211545' },
  payment: { status: 'paid' },
  crm: {},
  history: [],
  approval: { round: 2, photoUrl: 'https://cdn.example/p.jpg', state: 'awaiting', askedAt: '2026-12-03T04:00:00Z' },
  ...over,
});
const data = (markup: ReturnType<typeof notificationButtons>) =>
  markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));

describe('delivery-day messages in both languages (issue 15)', () => {
  test('the reminder names the slot, the recipient and the address; pickup names the shop', () => {
    expect(notificationText('delivery_reminder', 'ru', order())).toBe(
      'Сегодня доставим заказ CVABCDEFGH23: 14:00-16:00, получатель — Мария, адрес: Астана, ул. Кенесары 40.',
    );
    expect(notificationText('delivery_reminder', 'kk', order())).toMatch(/Бүгін .*14:00-16:00, алушы — Мария/);
    const pickup = order({ delivery: { type: 'pickup', date: '2026-12-03', slot: '10:00-12:00' } });
    expect(notificationText('delivery_reminder', 'ru', pickup)).toMatch(/забрать в магазине: 10:00-12:00/);
  });

  test('no answer in time: the customer hears the bouquet goes as photographed, in both languages', () => {
    const timedOut = order({ approval: { ...order().approval!, state: 'timed_out' } });
    expect(notificationText('approval_timed_out', 'ru', timedOut)).toBe(
      'Мы не дождались вашего ответа по фото букета, поэтому передаём заказ CVABCDEFGH23 курьеру таким, как на фото. Спасибо!',
    );
    expect(notificationText('approval_timed_out', 'kk', timedOut)).toMatch(
      /^Гүл шоғының суреті бойынша сізден жауап алмадық, сондықтан CVABCDEFGH23 тапсырысын курьерге/,
    );
    const pickup = order({ delivery: { type: 'pickup', date: '2026-12-03', slot: '10:00-12:00' } });
    expect(notificationText('approval_timed_out', 'ru', pickup)).toMatch(/ждёт вас в магазине/);
    expect(notificationText('approval_timed_out', 'kk', pickup)).toMatch(/дүкенде .* сізді күтеді/);
  });

  test('the photo carries approve / change buttons for its round; the rating five stars', () => {
    const approval = notificationButtons('approval_request', 'kk', order());
    expect(approval!.inline_keyboard[0].map((b) => b.text)).toEqual(['👍 Бәрі керемет', '✏️ Өзгертуді сұрау']);
    expect(data(approval).slice(0, 2)).toEqual([
      callbackData.approve('CVABCDEFGH23', 2),
      callbackData.askChange('CVABCDEFGH23', 2),
    ]);
    expect(callbackPattern.approval.exec(data(approval)[0])?.slice(1)).toEqual(['y', 'CVABCDEFGH23', '2']);
    // Answered already when the message goes: no answer buttons.
    const answered = notificationButtons('approval_request', 'ru', order({ approval: undefined }));
    expect(data(answered).some((d) => d.startsWith('apr:'))).toBe(false);

    const stars = notificationButtons('rating_request', 'ru', order({ status: 'delivered' }));
    expect(data(stars)).toEqual([1, 2, 3, 4, 5].map((n) => `rt:CVABCDEFGH23:${n}`));
    expect(callbackPattern.rate.test('rt:CVABCDEFGH23:6')).toBe(false);
    expect(Buffer.byteLength(callbackData.askChange('CVABCDEFGH23', 99))).toBeLessThanOrEqual(64);
  });

  test('09:00 shop time is an instant in the shop time zone', () => {
    expect(shopInstant('2026-12-09', '09:00', 'Asia/Almaty').toISOString()).toBe('2026-12-09T04:00:00.000Z');
    expect(shopInstant('2026-07-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(shopInstant('2026-01-15', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-01-15T08:00:00.000Z');
  });
});
