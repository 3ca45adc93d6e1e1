import path from 'node:path';
import { I18n } from '@grammyjs/i18n';
import type { Language } from '../common/order';
import type { BotContext } from './context';

export const LANGUAGES: readonly Language[] = ['ru', 'kk'];

/** Fluent translations from bot/locales; the customer's choice is kept in the session (Russian by default). */
export function createI18n(): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale: 'ru',
    // No bidi isolation marks around placeables: Cyrillic texts do not need them and they break copy-paste.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => languageOf(ctx),
  });
  i18n.loadLocalesDirSync(path.join(__dirname, 'locales'));
  return i18n;
}

/** The session's choice, else Kazakh for a Kazakh Telegram client, else Russian. */
export function languageOf(ctx: BotContext): Language {
  return ctx.session?.language ?? (ctx.from?.language_code === 'kk' ? 'kk' : 'ru');
}

export type Translate = (key: string, variables?: Record<string, string | number>) => string;

let words: I18n<BotContext> | undefined;
/** The same locale files outside a bot (the worker's notifications): read once, on first use. */
export function translatorFor(language: Language): Translate {
  words ??= createI18n();
  const i18n = words;
  return (key, variables) => i18n.t(language, key, variables);
}
