import { InlineKeyboard, Keyboard } from 'grammy';
import { formatTenge } from '../../common/money';
import { callbackData } from '../callback-data';
import { chunk, weekday } from '../conversations/checkout-rules';
import type { Draft } from '../conversations/checkout-draft';
import type { Translate } from '../i18n';
import { displayDate } from '../views';

const cb = callbackData.checkout;
const withAbandon = (t: Translate, keyboard: InlineKeyboard) => keyboard.row().text(t('checkout-abandon'), cb.abandon);

/** Answer buttons under the input field (typed answers work too), abandon last; hidden once used. */
export function replyKeyboard(t: Translate, rows: string[][] = [], extra?: (k: Keyboard) => Keyboard): Keyboard {
  let keyboard = new Keyboard();
  for (const row of rows) {
    for (const choice of row) keyboard = keyboard.text(choice);
    keyboard = keyboard.row();
  }
  if (extra) keyboard = extra(keyboard).row();
  return keyboard.text(t('checkout-abandon')).resized().oneTime();
}

export const deliveryTypeKeyboard = (t: Translate, feeKopecks: number) =>
  withAbandon(
    t,
    new InlineKeyboard()
      .text(t('checkout-delivery', { fee: formatTenge(feeKopecks) }), cb.delivery)
      .row()
      .text(t('checkout-pickup'), cb.pickup),
  );

/** "Сегодня, ср 02.12", "Завтра, чт 03.12", "пт 04.12". */
export function dayLabel(t: Translate, date: string, today: string, tomorrow: string): string {
  const short = `${t(`weekday-${weekday(date)}`)} ${displayDate(date).slice(0, 5)}`;
  if (date === today || date === tomorrow) {
    const [weekdayName, dayMonth] = short.split(' ');
    return t('checkout-day', {
      name: t(date === today ? 'checkout-today' : 'checkout-tomorrow'),
      weekday: weekdayName,
      date: dayMonth,
    });
  }
  return short;
}

export function daysKeyboard(t: Translate, days: string[], today: string, tomorrow: string): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const row of chunk(days, 2)) {
    for (const day of row) keyboard.text(dayLabel(t, day, today, tomorrow), cb.date(day));
    keyboard.row();
  }
  return withAbandon(t, keyboard);
}

export function slotsKeyboard(t: Translate, slots: string[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const row of chunk(slots, 2)) {
    for (const slot of row) keyboard.text(slot, cb.slot(slot));
    keyboard.row();
  }
  return withAbandon(t, keyboard.text(t('checkout-other-day'), cb.otherDay));
}

export const phoneConfirmKeyboard = (t: Translate) =>
  new InlineKeyboard().text(t('checkout-phone-yes'), cb.phoneYes).text(t('checkout-phone-other'), cb.phoneOther);

/** Confirm, one "Изменить" per field of the summary, abandon. */
export function summaryKeyboard(t: Translate, draft: Draft): InlineKeyboard {
  const keyboard = new InlineKeyboard().text(t('checkout-confirm'), cb.confirm).row();
  keyboard.text(t('edit-when'), cb.edit('when')).text(t('edit-quantity'), cb.edit('quantity')).row();
  keyboard.text(t('edit-type'), cb.edit('deliveryType')).row();
  if (draft.deliveryType === 'delivery') {
    keyboard.text(t('edit-address'), cb.edit('address')).text(t('edit-recipient'), cb.edit('recipient')).row();
  }
  keyboard.text(t('edit-phone'), cb.edit('customerPhone')).text(t('edit-card'), cb.edit('cardText'));
  return withAbandon(t, keyboard);
}

export const resumeKeyboard = (t: Translate) => new InlineKeyboard().text(t('checkout-resume'), cb.resume);
