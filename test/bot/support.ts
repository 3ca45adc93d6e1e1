import { run } from '@grammyjs/runner';
import got from 'got';
import type { Bot } from 'grammy';
import { productImageUrls, toProductRow } from '../../activities/catalog-mapping';
import { createCatalogReader } from '../../bot/catalog';
import { DEFAULT_SLOTS } from '../../bot/config';
import type { BotContext, BotDeps } from '../../bot/context';
import { createBot } from '../../bot/create-bot';
import { noPhotoSearch } from '../../bot/photo-search-port';
import { createLogger } from '../../common/logging';
import { shopDate } from '../support/dates';
import { FIXTURES, type TestSystem } from '../support/system';

export interface Call {
  method: string;
  /** false when the stand-in refused the call (the bot then falls back to something else). */
  ok?: boolean;
  payload: Record<string, unknown> & { text?: string; caption?: string; reply_markup?: Markup };
}
type Markup = { inline_keyboard?: Button[][]; keyboard?: Button[][] };
type Button = { text: string; callback_data?: string; request_contact?: boolean; request_location?: boolean };

/** Copies the production stand-in's catalog into the read model, as the catalog sync would. */
export async function seedCatalog(system: TestSystem): Promise<void> {
  for (const p of system.production.products()) {
    const photos = productImageUrls(p).map((sourceUrl, i) => ({ position: i + 1, sourceUrl }));
    await system.db.prisma.product.create({ data: { ...toProductRow(p), photos: { create: photos } } });
  }
}

export const SHOP = { address: 'Астана, ул. Кенесары 40', hours: '09:00-21:00', phone: '+77010000000' };

/** Bot dependencies wired to the test system; the clock can be moved by tests. */
export function botDeps(system: TestSystem, overrides: Partial<BotDeps> = {}, clock = { offsetMs: 0 }): BotDeps {
  return {
    config: {
      apiRoot: system.telegram.url,
      shopTimeZone: 'Asia/Almaty',
      shop: SHOP,
      deliveryFeeKopecks: 250_000,
      slots: DEFAULT_SLOTS,
      checkoutTtlMs: 2 * 3_600_000,
      retention: { sessionMs: 30 * 86_400_000, checkoutMs: 86_400_000 },
      rateLimit: { limit: 60, windowMs: 60_000 },
    },
    prisma: system.db.prisma,
    orders: system.orders,
    catalog: createCatalogReader(system.db.prisma),
    slots: system.slots,
    searchByPhoto: noPhotoSearch,
    now: () => new Date(Date.now() + clock.offsetMs),
    logger: createLogger('bot', { level: 'silent' }),
    ...overrides,
  };
}

/** A bot long-polling the Telegram stand-in, as `npm run bot` runs it: chats in parallel, each in order. */
export function runBot(deps: BotDeps): { bot: Bot<BotContext>; stop(): Promise<void> } {
  const bot = createBot(FIXTURES.telegramToken, deps);
  const runner = run(bot, { runner: { fetch: { timeout: 1 } } });
  return {
    bot,
    async stop() {
      if (runner.isRunning()) await runner.stop();
    },
  };
}

export const textOf = (call: Call): string => String(call.payload.text ?? call.payload.caption ?? '');
export const buttonsOf = (call: Call): Button[] =>
  [...(call.payload.reply_markup?.inline_keyboard ?? []), ...(call.payload.reply_markup?.keyboard ?? [])].flat();

/** A customer in a private chat, acting only through the stand-in's control routes over HTTP. */
export class TelegramUser {
  private seen = 0;
  constructor(
    private readonly telegramUrl: string,
    readonly id: number,
    readonly firstName = 'Айгуль',
    readonly languageCode = 'ru',
  ) {}

  private get from() {
    return { id: this.id, is_bot: false, first_name: this.firstName, language_code: this.languageCode };
  }
  private get chat() {
    return { id: this.id, type: 'private', first_name: this.firstName };
  }

  async send(updates: object | object[]): Promise<void> {
    await got.post(`${this.telegramUrl}/__control/updates`, { json: updates });
  }
  message(content: object) {
    return { message: { from: this.from, chat: this.chat, ...content } };
  }
  /** Text as Telegram delivers it: a leading /command carries its bot_command entity. */
  say = (text: string) => {
    const command = /^\/\w+/.exec(text);
    const entities = command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : undefined;
    return this.send(this.message({ text, entities }));
  };
  shareContact = (phone: string, userId: number | undefined = this.id) =>
    this.send(this.message({ contact: { phone_number: phone, first_name: this.firstName, user_id: userId } }));
  shareLocation = (latitude: number, longitude: number) =>
    this.send(this.message({ location: { latitude, longitude } }));
  tap(data: string) {
    return { callback_query: { from: this.from, message: { chat: this.chat }, data } };
  }
  press = (data: string) => this.send(this.tap(data));

  async sent(min = 0, timeoutMs = 0): Promise<Call[]> {
    return got(`${this.telegramUrl}/__control/sent`, {
      searchParams: { chat_id: this.id, min, timeout: timeoutMs },
    }).json<Call[]>();
  }

  /** Later checks start after everything the bot has sent this chat so far (a user seen in an earlier test). */
  async catchUp(): Promise<void> {
    this.seen = (await this.sent()).length;
  }

  /** Waits for the next bot call (after the last one matched) whose text matches; later checks start after it. */
  async expect(match: RegExp | ((call: Call) => boolean), timeoutMs = 20_000): Promise<Call> {
    const test = typeof match === 'function' ? match : (c: Call) => match.test(textOf(c));
    const deadline = Date.now() + timeoutMs;
    for (let known = this.seen; ;) {
      const calls = await this.sent(known + 1, Math.max(50, Math.min(5_000, deadline - Date.now())));
      const index = calls.findIndex((c, i) => i >= this.seen && c.method !== 'answerCallbackQuery' && test(c));
      if (index >= 0) {
        this.seen = index + 1;
        return calls[index];
      }
      if (Date.now() > deadline) {
        const recent = calls.slice(this.seen).map((c) => `${c.method}: ${textOf(c)}`);
        throw new Error(`no bot message matching ${String(match)}; since the last match:\n${recent.join('\n')}`);
      }
      known = calls.length;
    }
  }

  /** Button data of a call, by the button's visible text. */
  static button(call: Call, text: RegExp): Button {
    const button = buttonsOf(call).find((b) => text.test(b.text));
    if (!button) throw new Error(`no button ${text} in ${JSON.stringify(buttonsOf(call).map((b) => b.text))}`);
    return button;
  }
}

export const BUTTONS = {
  ru: { catalog: '💐 Каталог', orders: '📦 Мои заказы', self: '🙋 Я получатель', noCard: 'Без открытки' },
  kk: { catalog: '💐 Каталог', orders: '📦 Тапсырыстарым', self: '🙋 Алушы — өзім', noCard: 'Ашықхатсыз' },
};

const hasButton = (test: (b: Button) => boolean) => (c: Call) => buttonsOf(c).some(test);
const withData = (prefix: string) => hasButton((b) => b.callback_data?.startsWith(prefix) ?? false);

export interface CheckoutAnswers {
  language?: 'ru' | 'kk';
  pickup?: boolean;
  /** Delivery: a shared location instead of a typed address. */
  location?: boolean;
  /** Delivery: "Я получатель" instead of a typed recipient. */
  self?: boolean;
  /** Days from today, and the slot. */
  day?: number;
  slot?: string;
}

/**
 * Answers every question of the shortest path, one tap or message each, up to the summary; returns the first
 * question (delivery or pickup), the summary and how many answers it took.
 */
export async function answerCheckout(
  user: TelegramUser,
  options: CheckoutAnswers = {},
): Promise<{ question: Call; summary: Call; answers: number }> {
  const b = BUTTONS[options.language ?? 'ru'];
  let answers = 0;
  const act = async (action: Promise<void>) => {
    await action;
    answers += 1;
  };
  const question = await user.expect(withData('co:type:'));
  await act(user.press(options.pickup ? 'co:type:pickup' : 'co:type:delivery'));
  if (!options.pickup) {
    await user.expect(hasButton((x) => x.request_location === true));
    await act(options.location ? user.shareLocation(51.12826, 71.43041) : user.say('Астана, ул. Кенесары 40, кв 5'));
    await user.expect(hasButton((x) => x.text === b.self));
    if (options.self) {
      await act(user.say(b.self));
    } else {
      await act(user.say('Мария'));
      await user.expect(/[Тт]елефон получателя|[Аа]лушының .* телефоны/);
      await act(user.say('8 701 123 45 67'));
    }
  }
  await user.expect(withData('co:date:'));
  await act(user.press(`co:date:${shopDate(options.day ?? 1)}`));
  await user.expect(withData('co:slot:'));
  await act(user.press(`co:slot:${options.slot ?? '14:00-16:00'}`));
  await user.expect(hasButton((x) => x.request_contact === true));
  await act(user.shareContact('77015211545'));
  const summary = await user.expect(withData('co:confirm'));
  return { question, summary, answers };
}
