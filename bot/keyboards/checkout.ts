import { InlineKeyboard, Keyboard } from 'grammy';
import { callbackData } from '../callback-data';
import type { Translate } from '../i18n';

/** Answer buttons of a checkout question, with back and abandon underneath. */
export function answerKeyboard(t: Translate, choices: string[][] = [], options: { first?: boolean } = {}): Keyboard {
  const keyboard = new Keyboard();
  for (const row of choices) {
    for (const choice of row) keyboard.text(choice);
    keyboard.row();
  }
  if (!options.first) keyboard.text(t('checkout-back'));
  return keyboard.text(t('checkout-abandon')).resized();
}

export const locationKeyboard = (t: Translate) =>
  new Keyboard()
    .requestLocation(t('checkout-address-location'))
    .row()
    .text(t('checkout-back'))
    .text(t('checkout-abandon'))
    .resized();

export const contactKeyboard = (t: Translate) =>
  new Keyboard()
    .requestContact(t('checkout-phone-button'))
    .row()
    .text(t('checkout-back'))
    .text(t('checkout-abandon'))
    .resized()
    .oneTime();

export const confirmKeyboard = (t: Translate) =>
  new InlineKeyboard()
    .text(t('checkout-confirm'), callbackData.confirm)
    .row()
    .text(t('checkout-back'), callbackData.back)
    .text(t('checkout-abandon'), callbackData.abandon);
