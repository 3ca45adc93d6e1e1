import { InlineKeyboard } from 'grammy';
import { callbackData } from '../callback-data';

export const languageKeyboard = () =>
  new InlineKeyboard().text('🇷🇺 Русский', callbackData.language('ru')).text('🇰🇿 Қазақша', callbackData.language('kk'));
