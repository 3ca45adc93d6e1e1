import type { Conversation } from '@grammyjs/conversations';
import type { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { Contact, Location } from 'grammy/types';
import { shopClock } from '../../activities/pricing';
import { formatTenge } from '../../common/money';
import type { Language, OrderRequest } from '../../common/order';
import { normalizePhone } from '../../common/phone';
import { callbackData, callbackPattern } from '../callback-data';
import type { BotContext, BotDeps } from '../context';
import type { Translate } from '../i18n';
import { answerKeyboard, confirmKeyboard, contactKeyboard, locationKeyboard } from '../keyboards/checkout';
import { mainMenu } from '../keyboards/main-menu';
import { displayDate } from '../views';
import * as rules from './checkout-rules';
import { placeOrder } from './place-order';

export const CHECKOUT = 'checkout';

export interface CheckoutArgs {
  productId: number;
  language: Language;
  /** Fixed when the checkout starts: the order's idempotency key derives from it. */
  checkoutId: string;
}

type Answer =
  | { kind: 'back' | 'confirm' | 'other'; ctx: Context }
  | { kind: 'text'; text: string; ctx: Context }
  | { kind: 'contact'; contact: Contact; ctx: Context }
  | { kind: 'location'; location: Location; ctx: Context };
type Parsed<T> = { value: T } | { retry: string };
const STEPS = [
  'quantity',
  'recipientName',
  'recipientPhone',
  'deliveryType',
  'address',
  'date',
  'slot',
  'cardText',
  'customerPhone',
  'confirm',
] as const;
type Step = (typeof STEPS)[number];
type Outcome = 'next' | 'back' | 'done' | { goto: Step };
const BACK = Symbol('back');

interface Draft {
  quantity?: number;
  recipientName?: string;
  recipientPhone?: string;
  deliveryType?: 'delivery' | 'pickup';
  address?: string;
  date?: string;
  slot?: string;
  cardText?: string | null;
  customerPhone?: string;
}

/**
 * The checkout as one conversation. grammY replays this function on every update, so everything outside
 * Telegram (clock, catalog, order client) goes through `conversation.external`, and the state lives in
 * PostgreSQL: a restarted bot resumes at the same question.
 */
export function createCheckout(deps: BotDeps, i18n: I18n<BotContext>) {
  const { shopTimeZone, slots, checkoutTtlMs, deliveryFeeKopecks } = deps.config;

  return async function checkout(conversation: Conversation<BotContext, Context>, ctx: Context, args: CheckoutArgs) {
    const t: Translate = (key, variables) => i18n.t(args.language, key, variables);
    const now = () => conversation.external(() => deps.now().getTime());
    const clock = async () => shopClock(new Date(await now()), shopTimeZone);
    const product = await conversation.external(() => deps.catalog.byExternalId(args.productId));
    if (!product?.available) return void (await ctx.reply(t('checkout-unavailable')));
    await ctx.reply(t('checkout-start', { title: product.title, price: formatTenge(product.priceKopecks) }));
    let lastSeen = await now();
    const draft: Draft = {};

    const abandon = async (at: Context): Promise<never> => {
      await at.reply(t('checkout-abandoned'), { reply_markup: mainMenu(t) });
      return conversation.halt();
    };

    /** The next update as an answer; commands, expiry and foreign buttons leave or skip. */
    async function answer(): Promise<Answer> {
      const next = await conversation.wait();
      const at = await now();
      const expired = at - lastSeen > checkoutTtlMs;
      lastSeen = at;
      const message = next.message;
      const isCommand = message?.text?.startsWith('/') ?? false;
      if (expired) {
        if (!isCommand) await next.reply(t('checkout-expired'), { reply_markup: mainMenu(t) });
        return conversation.halt({ next: isCommand });
      }
      if (isCommand) return conversation.halt({ next: true });
      const data = next.callbackQuery?.data;
      if (data !== undefined) {
        // Another bouquet's order button starts over; other buttons (catalog paging) work as usual.
        if (callbackPattern.order.test(data)) return conversation.halt({ next: true });
        if (!callbackPattern.checkout.test(data)) return conversation.skip({ next: true });
        await next.answerCallbackQuery();
        if (data === callbackData.abandon) return abandon(next);
        return { kind: data === callbackData.back ? 'back' : 'confirm', ctx: next };
      }
      const text = message?.text?.trim();
      if (text === t('checkout-abandon')) return abandon(next);
      if (text === t('checkout-back')) return { kind: 'back', ctx: next };
      if (text !== undefined) return { kind: 'text', text, ctx: next };
      if (message?.contact) return { kind: 'contact', contact: message.contact, ctx: next };
      if (message?.location) return { kind: 'location', location: message.location, ctx: next };
      return { kind: 'other', ctx: next };
    }

    /** Asks once, then re-asks with the parser's reason until the answer is valid (or the customer goes back). */
    async function ask<T>(send: () => Promise<unknown>, parse: (a: Answer) => Parsed<T> | Promise<Parsed<T>>) {
      await send();
      for (;;) {
        const a = await answer();
        if (a.kind === 'back') return BACK;
        const parsed = await parse(a);
        if ('value' in parsed) return parsed.value;
        await a.ctx.reply(t(parsed.retry));
      }
    }
    const text = (a: Answer) => (a.kind === 'text' ? a.text : undefined);
    const retry = (key: string) => ({ retry: key });
    const keep =
      <K extends keyof Draft>(key: K) =>
      (value: Draft[K] | typeof BACK): Outcome => {
        if (value === BACK) return 'back';
        draft[key] = value;
        return 'next';
      };

    const steps: Record<Step, () => Promise<Outcome>> = {
      quantity: async () =>
        keep('quantity')(
          await ask(
            () =>
              ctx.reply(t('checkout-quantity'), {
                reply_markup: answerKeyboard(t, [['1', '2', '3', '5']], { first: true }),
              }),
            (a) => {
              const n = rules.parseQuantity(text(a) ?? '');
              return n ? { value: n } : retry('checkout-quantity-invalid');
            },
          ),
        ),
      recipientName: async () =>
        keep('recipientName')(
          await ask(
            () => ctx.reply(t('checkout-recipient-name'), { reply_markup: answerKeyboard(t) }),
            (a) =>
              rules.isName(text(a) ?? '') ? { value: text(a)!.trim() } : retry('checkout-recipient-name-invalid'),
          ),
        ),
      recipientPhone: async () =>
        keep('recipientPhone')(
          await ask(
            () => ctx.reply(t('checkout-recipient-phone'), { reply_markup: answerKeyboard(t) }),
            (a) => {
              const phone = normalizePhone(a.kind === 'contact' ? a.contact.phone_number : (text(a) ?? ''));
              return phone ? { value: phone } : retry('checkout-recipient-phone-invalid');
            },
          ),
        ),
      deliveryType: async () =>
        keep('deliveryType')(
          await ask(
            () =>
              ctx.reply(t('checkout-delivery-type'), {
                reply_markup: answerKeyboard(t, [[t('checkout-delivery'), t('checkout-pickup')]]),
              }),
            (a) =>
              text(a) === t('checkout-delivery')
                ? { value: 'delivery' as const }
                : text(a) === t('checkout-pickup')
                  ? { value: 'pickup' as const }
                  : retry('checkout-delivery-type-invalid'),
          ),
        ),
      address: async () =>
        keep('address')(
          await ask(
            () => ctx.reply(t('checkout-address'), { reply_markup: locationKeyboard(t) }),
            (a) => {
              if (a.kind === 'location')
                return { value: `📍 ${a.location.latitude.toFixed(5)}, ${a.location.longitude.toFixed(5)}` };
              return rules.isAddress(text(a) ?? '') ? { value: text(a)!.trim() } : retry('checkout-address-invalid');
            },
          ),
        ),
      date: async () =>
        keep('date')(
          await ask(
            () =>
              ctx.reply(t('checkout-date'), {
                reply_markup: answerKeyboard(t, [
                  [t('checkout-today'), t('checkout-tomorrow')],
                  [t('checkout-other-date')],
                ]),
              }),
            async (a) => {
              const answerText = text(a) ?? '';
              if (answerText === t('checkout-other-date')) return retry('checkout-date-enter');
              const today = await clock();
              const date =
                answerText === t('checkout-today')
                  ? today.date
                  : answerText === t('checkout-tomorrow')
                    ? rules.addDays(today.date, 1)
                    : rules.parseUserDate(answerText, today.date);
              if (!date) return retry('checkout-date-invalid');
              if (date < today.date) return retry('checkout-date-past');
              if (date > rules.addDays(today.date, rules.MAX_DAYS_AHEAD)) return retry('checkout-date-too-far');
              if (rules.openSlots(date, today, slots).length === 0) return retry('checkout-date-no-slots');
              return { value: date };
            },
          ),
        ),
      slot: async () => {
        const open = rules.openSlots(draft.date!, await clock(), slots);
        if (open.length === 0) {
          await ctx.reply(t('checkout-date-no-slots'));
          return 'back';
        }
        return keep('slot')(
          await ask(
            () =>
              ctx.reply(t('checkout-slot', { date: displayDate(draft.date!) }), {
                reply_markup: answerKeyboard(t, rules.chunk(open, 2)),
              }),
            (a) => (open.includes(text(a) ?? '') ? { value: text(a)! } : retry('checkout-slot-invalid')),
          ),
        );
      },
      cardText: async () =>
        keep('cardText')(
          await ask(
            () => ctx.reply(t('checkout-card'), { reply_markup: answerKeyboard(t, [[t('checkout-no-card')]]) }),
            (a) => {
              const card = text(a);
              if (card === undefined) return retry('checkout-card');
              if (card === t('checkout-no-card')) return { value: null };
              return card.length <= rules.MAX_CARD_TEXT ? { value: card } : retry('checkout-card-too-long');
            },
          ),
        ),
      customerPhone: async () =>
        keep('customerPhone')(
          await ask(
            () => ctx.reply(t('checkout-phone'), { reply_markup: contactKeyboard(t) }),
            (a) => {
              if (a.kind !== 'contact') return retry('checkout-phone-use-button');
              // Only the sender's own contact is trusted: Kaspi bills this number.
              if (a.contact.user_id !== a.ctx.from?.id) return retry('checkout-phone-not-yours');
              const phone = normalizePhone(a.contact.phone_number);
              return phone ? { value: phone } : retry('checkout-phone-invalid');
            },
          ),
        ),
      confirm: async () => {
        const fresh = await conversation.external(() => deps.catalog.byExternalId(args.productId));
        if (!fresh?.available) {
          await ctx.reply(t('checkout-product-gone'), { reply_markup: mainMenu(t) });
          return 'done';
        }
        await ctx.reply(summary(fresh.title, fresh.priceKopecks), { reply_markup: confirmKeyboard(t) });
        for (;;) {
          const a = await answer();
          if (a.kind === 'back') return 'back';
          if (a.kind !== 'confirm') {
            await a.ctx.reply(t('checkout-confirm-hint'));
            continue;
          }
          const key = `telegram:${ctx.from!.id}:${args.checkoutId}`;
          const placed = await conversation.external(() => placeOrder(deps, orderRequest(), key));
          if (placed.ok) {
            const total = formatTenge(placed.totalKopecks);
            await a.ctx.reply(t('checkout-placed', { trackingId: placed.trackingId, total }), {
              reply_markup: mainMenu(t),
            });
            return 'done';
          }
          if (placed.reason === 'invalid') {
            await a.ctx.reply(t('checkout-invalid-order', { reason: placed.message }));
            return { goto: 'date' };
          }
          if (placed.reason === 'unavailable') {
            await a.ctx.reply(t('checkout-product-gone'), { reply_markup: mainMenu(t) });
            return 'done';
          }
          await a.ctx.reply(t('checkout-failed'));
        }
      },
    };

    function summary(title: string, priceKopecks: number): string {
      const q = draft.quantity!;
      const fee = draft.deliveryType === 'delivery' ? deliveryFeeKopecks : 0;
      return [
        t('summary-title'),
        t('summary-item', { title, quantity: String(q), amount: formatTenge(priceKopecks * q) }),
        fee ? t('summary-fee', { fee: formatTenge(fee) }) : '',
        t('summary-total', { total: formatTenge(priceKopecks * q + fee) }),
        t('summary-recipient', { name: draft.recipientName!, phone: draft.recipientPhone! }),
        draft.deliveryType === 'delivery' ? t('summary-address', { address: draft.address! }) : t('summary-pickup'),
        t('summary-when', { date: displayDate(draft.date!), slot: draft.slot! }),
        draft.cardText ? t('summary-card', { text: draft.cardText }) : '',
        t('summary-phone', { phone: draft.customerPhone! }),
      ]
        .filter(Boolean)
        .join('\n');
    }

    function orderRequest(): OrderRequest {
      const from = ctx.from!;
      const delivery = draft.deliveryType!;
      return {
        customer: {
          phone: draft.customerPhone!,
          name: [from.first_name, from.last_name].filter(Boolean).join(' '),
          telegramUserId: from.id,
          telegramChatId: ctx.chatId!,
          language: args.language,
        },
        recipient: { name: draft.recipientName!, phone: draft.recipientPhone },
        delivery: {
          type: delivery,
          address: delivery === 'delivery' ? draft.address : undefined,
          date: draft.date!,
          slot: draft.slot!,
        },
        items: [{ productId: args.productId, quantity: draft.quantity! }],
        ...(draft.cardText ? { cardText: draft.cardText } : {}),
        paymentMethod: 'kaspi',
      };
    }

    // Pickup skips the address; back walks the same list in reverse.
    const route = () => STEPS.filter((s) => s !== 'address' || draft.deliveryType !== 'pickup');
    let step: Step = 'quantity';
    for (;;) {
      const outcome: Outcome = await steps[step]();
      if (outcome === 'done') return;
      const list = route();
      const i = list.indexOf(step);
      step = typeof outcome === 'object' ? outcome.goto : list[outcome === 'back' ? Math.max(0, i - 1) : i + 1];
    }
  };
}
