import { Keyboard } from 'grammy';
import type { Translate } from '../i18n';

/** The persistent menu under the input field. */
export const mainMenu = (t: Translate) =>
  new Keyboard()
    .text(t('menu-catalog'))
    .text(t('menu-photo'))
    .row()
    .text(t('menu-orders'))
    .text(t('menu-help'))
    .row()
    .text(t('menu-language'))
    .resized()
    .persistent();
