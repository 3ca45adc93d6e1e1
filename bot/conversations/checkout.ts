import type { Conversation } from '@grammyjs/conversations';
import type { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { Contact, Location } from 'grammy/types';
import { shopClock } from '../../common/shop-time';
import { formatTenge } from '../../common/money';
import { normalizePhone } from '../../common/phone';
import { callbackData, callbackPattern } from '../callback-data';
import type { BotContext, BotDeps } from '../context';
import type { Translate } from '../i18n';
import * as keyboards from '../keyboards/checkout';
import { mainMenu } from '../keyboards/main-menu';
import { displayDate } from '../views';
import {
  firstMissing,
  forgetRefused,
  orderRequest,
  isEditable,
  type CheckoutArgs,
  type Draft,
  type Editable,
} from './checkout-draft';
import { pausedCheckouts, rememberedFor } from './checkout-memory';
import * as rules from './checkout-rules';
import { placeOrder } from './place-order';

export const CHECKOUT = 'checkout';
export type { CheckoutArgs } from './checkout-draft';

type Answer =
  | { kind: 'button'; data: string; ctx: Context }
  | { kind: 'text'; text: string; ctx: Context }
  | { kind: 'contact'; contact: Contact; ctx: Context }
  | { kind: 'location'; location: Location; ctx: Context }
  | { kind: 'other'; ctx: Context };
type Parsed<T> = { value: T } | { retry: string };

const cb = callbackData.checkout;
/** Buttons of the bot's other features that start something new: the checkout gives way to them. */
const startsAnother = (data: string) =>
  callbackPattern.order.test(data) || callbackPattern.orderRepeat.test(data) || data === cb.resume;
const REFUSAL_TEXT: Record<string, string> = {
  'delivery.slot': 'checkout-rejected-slot',
  'delivery.date': 'checkout-rejected-date',
  'delivery.address': 'checkout-rejected-address',
  'recipient.name': 'checkout-rejected-recipient',
};

/**
 * The checkout as one conversation: the unanswered questions of the shortest path in order, then a summary
 * whose "Изменить" buttons reopen one answer and come back. grammY replays this function on every update, so
 * everything outside Telegram goes through `conversation.external`, and the state lives in PostgreSQL.
 */
export function createCheckout(deps: BotDeps, i18n: I18n<BotContext>) {
  const { shopTimeZone, slots, checkoutTtlMs, deliveryFeeKopecks, shop } = deps.config;
  const paused = pausedCheckouts(deps.prisma);

  return async function checkout(conversation: Conversation<BotContext, Context>, ctx: Context, args: CheckoutArgs) {
    const t: Translate = (key, variables) => i18n.t(args.language, key, variables);
    const from = ctx.from!;
    const pausedKey = String(from.id);
    const now = () => conversation.external(() => deps.now().getTime());
    const clock = async () => shopClock(new Date(await now()), shopTimeZone);
    /** Slots of these days with no place left (none without a capacity port), read once per question. */
    const fullOn = (dates: string[]) =>
      conversation.external(async () =>
        deps.slots ? (await deps.slots.loads(dates)).filter((l) => l.free === 0).map((l) => `${l.date} ${l.slot}`) : [],
      );
    const product = await conversation.external(() => deps.catalog.byExternalId(args.productId));
    if (!product?.available) return void (await ctx.reply(t('checkout-unavailable'), { reply_markup: mainMenu(t) }));
    const remembered = await conversation.external(() => rememberedFor(deps.prisma, from.id));
    let draft: Draft = { quantity: 1, ...args.draft };
    let lastSeen = await now();

    // The first question carries the bouquet's name: one message fewer.
    let intro = t('checkout-start', { title: product.title, price: formatTenge(product.priceKopecks) });
    const ask = (text: string, other: Parameters<Context['reply']>[1]) => {
      const full = intro ? `${intro}\n${text}` : text;
      intro = '';
      return ctx.reply(full, other);
    };

    const finish = async (at: Context, key: string): Promise<never> => {
      await conversation.external(() => paused.delete(pausedKey));
      await at.reply(t(key), { reply_markup: mainMenu(t) });
      return conversation.halt();
    };

    /** The next update as an answer; commands, expiry and other features' buttons leave or pass through. */
    async function answer(): Promise<Answer> {
      const next = await conversation.wait();
      const at = await now();
      const expired = at - lastSeen > checkoutTtlMs;
      lastSeen = at;
      const message = next.message;
      const isCommand = message?.text?.startsWith('/') ?? false;
      if (expired) {
        if (next.callbackQuery) await next.answerCallbackQuery();
        if (!isCommand) await next.reply(t('checkout-expired'), { reply_markup: mainMenu(t) });
        return conversation.halt({ next: isCommand });
      }
      const data = next.callbackQuery?.data;
      if (isCommand || (data !== undefined && callbackPattern.orderRepay.test(data))) {
        // Left for a command (or another conversation): kept and offered back; the command then does its work.
        await conversation.external(() => paused.write(pausedKey, { ...args, draft }));
        await next.reply(t('checkout-left', { title: product!.title }), { reply_markup: keyboards.resumeKeyboard(t) });
        return conversation.halt({ next: true });
      }
      if (data !== undefined) {
        if (startsAnother(data)) return conversation.halt({ next: true });
        // Other buttons (catalog paging, order details) work as usual during a checkout.
        if (!callbackPattern.checkout.test(data)) return conversation.skip({ next: true });
        await next.answerCallbackQuery();
        if (data === cb.abandon) return finish(next, 'checkout-abandoned');
        return { kind: 'button', data, ctx: next };
      }
      const text = message?.text?.trim();
      if (text === t('checkout-abandon')) return finish(next, 'checkout-abandoned');
      if (text !== undefined) return { kind: 'text', text, ctx: next };
      if (message?.contact) return { kind: 'contact', contact: message.contact, ctx: next };
      if (message?.location) return { kind: 'location', location: message.location, ctx: next };
      return { kind: 'other', ctx: next };
    }

    /** Answers until `parse` accepts one, re-asking with its reason. */
    async function until<T>(parse: (a: Answer) => Parsed<T> | Promise<Parsed<T>>): Promise<T> {
      for (;;) {
        const a = await answer();
        const parsed = await parse(a);
        if ('value' in parsed) return parsed.value;
        await a.ctx.reply(t(parsed.retry));
      }
    }
    const textOf = (a: Answer) => (a.kind === 'text' ? a.text : '');
    const buttonOf = (a: Answer) => (a.kind === 'button' ? a.data : '');
    const useButtons = { retry: 'checkout-use-buttons' };

    const questions: Record<Exclude<Editable, 'when'> | 'date' | 'slot', () => Promise<void>> = {
      async deliveryType() {
        const pickupInfo = t('checkout-pickup-info', { address: shop.address, hours: shop.hours });
        await ask(t('checkout-delivery-type', { pickupInfo }), {
          reply_markup: keyboards.deliveryTypeKeyboard(t, deliveryFeeKopecks),
        });
        const type = await until((a) =>
          buttonOf(a) === cb.delivery
            ? { value: 'delivery' as const }
            : buttonOf(a) === cb.pickup
              ? { value: 'pickup' as const }
              : useButtons,
        );
        draft = { ...draft, deliveryType: type };
      },

      async address() {
        const offered = remembered.address && remembered.address !== draft.address ? [remembered.address] : [];
        await ask(t('checkout-address'), {
          reply_markup: keyboards.replyKeyboard(
            t,
            [...(draft.address ? [draft.address] : []), ...offered].map((x) => [x]),
            (k) => k.requestLocation(t('checkout-address-location')),
          ),
        });
        const address = await until((a) => {
          if (a.kind === 'location')
            return { value: `📍 ${a.location.latitude.toFixed(5)}, ${a.location.longitude.toFixed(5)}` };
          return rules.isAddress(textOf(a)) ? { value: textOf(a) } : { retry: 'checkout-address-invalid' };
        });
        draft = { ...draft, address };
      },

      async recipient() {
        const self = t('checkout-recipient-self');
        const last = remembered.recipient;
        const lastLabel = last ? [last.name, last.phone].filter(Boolean).join(', ') : undefined;
        await ask(t('checkout-recipient'), {
          reply_markup: keyboards.replyKeyboard(t, [[self], ...(lastLabel ? [[lastLabel]] : [])]),
        });
        const choice = await until<Draft['recipient'] | string>((a) => {
          const text = textOf(a);
          if (text === self) return { value: { self: true } };
          if (last && text === lastLabel) return { value: { name: last.name, phone: last.phone } };
          return rules.isName(text) ? { value: text } : { retry: 'checkout-recipient-name-invalid' };
        });
        if (typeof choice !== 'string') return void (draft = { ...draft, recipient: choice });
        await ctx.reply(t('checkout-recipient-phone', { name: choice }), { reply_markup: keyboards.replyKeyboard(t) });
        const phone = await until((a) => {
          const value = normalizePhone(a.kind === 'contact' ? a.contact.phone_number : textOf(a));
          return value ? { value } : { retry: 'checkout-recipient-phone-invalid' };
        });
        draft = { ...draft, recipient: { name: choice, phone } };
      },

      async date() {
        const today = await clock();
        const tomorrow = rules.addDays(today.date, 1);
        const offered = Array.from({ length: rules.DAYS_OFFERED }, (_, i) => rules.addDays(today.date, i));
        const days = rules.openDays(today, slots, await fullOn(offered));
        await ask(t(`checkout-date-${draft.deliveryType}`), {
          reply_markup: keyboards.daysKeyboard(t, days, today.date, tomorrow),
        });
        const date = await until(async (a) => {
          const chosen = buttonOf(a).startsWith('co:date:')
            ? buttonOf(a).slice('co:date:'.length)
            : rules.parseUserDate(textOf(a), today.date);
          if (!chosen) return { retry: 'checkout-date-invalid' };
          const fresh = await clock();
          if (chosen < fresh.date) return { retry: 'checkout-date-past' };
          if (chosen > rules.addDays(fresh.date, rules.MAX_DAYS_AHEAD)) return { retry: 'checkout-date-too-far' };
          if (rules.openSlots(chosen, fresh, slots, await fullOn([chosen])).length === 0)
            return { retry: 'checkout-date-no-slots' };
          return { value: chosen };
        });
        draft = { ...draft, date, slot: undefined };
      },

      async slot() {
        const open = rules.openSlots(draft.date!, await clock(), slots, await fullOn([draft.date!]));
        if (open.length === 0) {
          await ctx.reply(t('checkout-date-no-slots'));
          return void (draft = { ...draft, date: undefined });
        }
        await ask(t('checkout-slot', { date: displayDate(draft.date!) }), {
          reply_markup: keyboards.slotsKeyboard(t, open),
        });
        const slot = await until((a) => {
          if (buttonOf(a) === cb.otherDay) return { value: null };
          const chosen = buttonOf(a).startsWith('co:slot:') ? buttonOf(a).slice('co:slot:'.length) : textOf(a);
          return open.includes(chosen) ? { value: chosen } : { retry: 'checkout-slot-invalid' };
        });
        draft = slot === null ? { ...draft, date: undefined } : { ...draft, slot };
      },

      async customerPhone() {
        const offered = draft.customerPhone ?? remembered.phone;
        const question = () =>
          ask(offered ? t('checkout-phone-saved', { phone: offered }) : t('checkout-phone'), {
            reply_markup: keyboards.replyKeyboard(t, offered ? [[offered]] : [], (k) =>
              k.requestContact(t('checkout-phone-button')),
            ),
          });
        await question();
        let pending: string | undefined;
        for (;;) {
          const a = await answer();
          if (a.kind === 'button') {
            if (a.data === cb.phoneYes && pending) return void (draft = { ...draft, customerPhone: pending });
            if (a.data === cb.phoneOther) await question();
            else await a.ctx.reply(t('checkout-use-buttons'));
            continue;
          }
          if (offered && textOf(a) === offered) return void (draft = { ...draft, customerPhone: offered });
          const phone = normalizePhone(a.kind === 'contact' ? a.contact.phone_number : textOf(a));
          if (!phone) {
            await a.ctx.reply(t('checkout-phone-invalid'));
            continue;
          }
          // The customer's own contact is their number; anything typed or forwarded is read back first.
          if (a.kind === 'contact' && a.contact.user_id === a.ctx.from?.id) {
            return void (draft = { ...draft, customerPhone: phone });
          }
          pending = phone;
          await a.ctx.reply(t('checkout-phone-confirm', { phone }), {
            reply_markup: keyboards.phoneConfirmKeyboard(t),
          });
        }
      },

      async quantity() {
        await ask(t('checkout-quantity'), { reply_markup: keyboards.replyKeyboard(t, [['1', '2', '3', '5']]) });
        const quantity = await until<number>((a) => {
          const n = rules.parseQuantity(textOf(a));
          return n ? { value: n } : { retry: 'checkout-quantity-invalid' };
        });
        draft = { ...draft, quantity };
      },

      async cardText() {
        await ask(t('checkout-card'), { reply_markup: keyboards.replyKeyboard(t, [[t('checkout-no-card')]]) });
        const card = await until((a) => {
          const text = textOf(a);
          if (!text) return { retry: 'checkout-card' };
          if (text === t('checkout-no-card')) return { value: undefined };
          return text.length <= rules.MAX_CARD_TEXT ? { value: text } : { retry: 'checkout-card-too-long' };
        });
        draft = { ...draft, cardText: card };
      },
    };

    function summaryText(title: string, priceKopecks: number): string {
      const q = draft.quantity;
      const fee = draft.deliveryType === 'delivery' ? deliveryFeeKopecks : 0;
      const recipient =
        !draft.recipient || draft.recipient.self
          ? { name: from.first_name, phone: draft.customerPhone! }
          : { name: draft.recipient.name, phone: draft.recipient.phone ?? '—' };
      const place =
        draft.deliveryType === 'delivery'
          ? [t('summary-address', { address: draft.address! }), t('summary-recipient', recipient)]
          : [t('summary-pickup', { address: shop.address, hours: shop.hours })];
      return [
        t('summary-title'),
        t('summary-item', { title, quantity: String(q), amount: formatTenge(priceKopecks * q) }),
        fee ? t('summary-fee', { fee: formatTenge(fee) }) : '',
        t('summary-total', { total: formatTenge(priceKopecks * q + fee) }),
        ...place,
        t('summary-when', { date: displayDate(draft.date!), slot: draft.slot! }),
        draft.cardText ? t('summary-card', { text: draft.cardText }) : '',
        t('summary-phone', { phone: draft.customerPhone! }),
      ]
        .filter(Boolean)
        .join('\n');
    }

    /** The summary until confirmed (the order placed) or one field is to be changed. */
    async function summary(): Promise<Editable | 'again'> {
      const fresh = await conversation.external(() => deps.catalog.byExternalId(args.productId));
      if (!fresh?.available) return finish(ctx, 'checkout-product-gone');
      await ask(summaryText(fresh.title, fresh.priceKopecks), { reply_markup: keyboards.summaryKeyboard(t, draft) });
      for (;;) {
        const a = await answer();
        const data = buttonOf(a);
        const field = data.startsWith('co:edit:') ? data.slice('co:edit:'.length) : '';
        if (isEditable(field)) return field;
        if (data !== cb.confirm) {
          await a.ctx.reply(t('checkout-confirm-hint'));
          continue;
        }
        // A slot that started while the summary was read is never ordered.
        if (!rules.openSlots(draft.date!, await clock(), slots).includes(draft.slot!)) {
          await a.ctx.reply(t('checkout-rejected-slot'));
          draft = forgetRefused(draft, 'delivery.slot');
          return 'again';
        }
        const request = orderRequest(draft, args.productId, args.language, from, ctx.chatId!);
        const key = `telegram:${from.id}:${args.checkoutId}`;
        const placed = await conversation.external(() => placeOrder(deps, request, key));
        if (placed.ok) {
          await conversation.external(() => paused.delete(pausedKey));
          const total = formatTenge(placed.totalKopecks);
          await a.ctx.reply(t('checkout-placed', { trackingId: placed.trackingId, total }), {
            reply_markup: mainMenu(t),
          });
          return conversation.halt();
        }
        if (placed.reason === 'invalid') {
          await a.ctx.reply(t(REFUSAL_TEXT[placed.field ?? ''] ?? 'checkout-rejected'));
          draft = forgetRefused(draft, placed.field);
          return 'again';
        }
        if (placed.reason === 'busy') {
          // Started, not confirmed: it goes ahead by itself; "Подтвердить" again lands on it (same key) and says how.
          await a.ctx.reply(t('checkout-busy', { trackingId: placed.trackingId }));
          return 'again';
        }
        if (placed.reason === 'unavailable') return finish(a.ctx, 'checkout-product-gone');
        if (placed.reason === 'slotFull') {
          // Taken by others while the summary was read: the slot is asked again, without it.
          await a.ctx.reply(t('checkout-slot-full'));
          draft = forgetRefused(draft, 'delivery.slot');
          return 'again';
        }
        await a.ctx.reply(t('checkout-failed'));
      }
    }

    for (let edit: Editable | 'again' | undefined; ;) {
      if (edit === 'when') draft = { ...draft, date: undefined, slot: undefined };
      else if (edit && edit !== 'again') await questions[edit]();
      edit = undefined;
      const missing = firstMissing(draft);
      if (missing) await questions[missing]();
      else edit = await summary();
    }
  };
}
