import { hears } from '@grammyjs/i18n';
import { Composer } from 'grammy';
import { callbackPattern } from '../callback-data';
import type { BotContext } from '../context';
import { languageKeyboard } from '../keyboards/language';
import { mainMenu } from '../keyboards/main-menu';

export const languageFeature = new Composer<BotContext>();

languageFeature.command('language', (ctx) => ctx.reply(ctx.t('language-choose'), { reply_markup: languageKeyboard() }));
languageFeature.filter(hears('menu-language'), (ctx) =>
  ctx.reply(ctx.t('language-choose'), { reply_markup: languageKeyboard() }),
);

languageFeature.callbackQuery(callbackPattern.language, async (ctx) => {
  ctx.session.language = ctx.match[1] as 'ru' | 'kk';
  await ctx.i18n.renegotiateLocale();
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('language-changed'), { reply_markup: mainMenu(ctx.t) });
});
