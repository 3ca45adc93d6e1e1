import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { LANGUAGES, translatorFor } from './i18n';

const COMMANDS = ['start', 'catalog', 'orders', 'language', 'help'] as const;

/** The command menu in both languages: Russian for everyone, Kazakh for Kazakh Telegram clients. */
export async function registerCommands(api: Api): Promise<void> {
  for (const language of LANGUAGES) {
    const t = translatorFor(language);
    const commands: BotCommand[] = COMMANDS.map((command) => ({ command, description: t(`command-${command}`) }));
    await api.setMyCommands(commands, language === 'ru' ? {} : { language_code: language });
  }
}
