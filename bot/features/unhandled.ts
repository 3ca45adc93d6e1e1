import { Composer } from 'grammy';
import type { BotContext } from '../context';
import { mainMenu } from '../keyboards/main-menu';

/** Last in line: whatever no feature took gets a gentle pointer to the menu. */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on('callback_query', (ctx) => ctx.answerCallbackQuery());
unhandledFeature.on('message', (ctx) => ctx.reply(ctx.t('unhandled'), { reply_markup: mainMenu(ctx.t) }));
