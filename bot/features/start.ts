import { Composer } from 'grammy';
import type { BotContext } from '../context';
import { mainMenu } from '../keyboards/main-menu';

export const startFeature = new Composer<BotContext>();

startFeature.command(['start', 'menu'], (ctx) =>
  ctx.reply(ctx.t('start-greeting', { name: ctx.from?.first_name ?? '' }), { reply_markup: mainMenu(ctx.t) }),
);
