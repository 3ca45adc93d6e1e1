import { orderWorkflowId } from '../../common/contract';
import type { OrderView } from '../../common/order';
import { Journey } from '../support/journey';
import { startSystem, type TestSystem } from '../support/system';
import { botDeps, buttonsOf, runBot, seedCatalog, TelegramUser, textOf, type Call } from './support';

/**
 * Issue 15 through the bot, on the local dev server and the Telegram stand-in: the customer answers the florist's
 * photo and rates the order with the buttons the workflow sent, in Russian and in Kazakh.
 */
let system: TestSystem;
let bot: { stop(): Promise<void> };

beforeAll(async () => {
  system = await startSystem({
    settings: {
      deliveryDay: {
        approvalTimeoutMs: 3_600_000,
        ratingTimeoutMs: 3 * 86_400_000,
        ratingCommentMs: 30 * 60_000,
        reminderAt: '09:00',
        shopTimeZone: 'Asia/Almaty',
      },
    },
  });
  await seedCatalog(system);
  bot = runBot(botDeps(system));
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await system?.stop();
});

const WORDS = {
  ru: {
    approve: /Всё отлично/,
    change: /Попросить изменить/,
    ask: /что изменить/,
    sent: /Передали флористу/,
    approved: /Передали курьеру/,
    late: /неактуален/,
    rate: /Оцените/,
    thanksAsk: /Спасибо за оценку/,
    noComment: /Без комментария/,
    thanks: /Спасибо за отзыв/,
  },
  kk: {
    approve: /Бәрі керемет/,
    change: /Өзгертуді сұрау/,
    ask: /нені өзгерту/,
    sent: /Флористке жеткіздік/,
    approved: /Курьерге тапсырдық/,
    late: /өзекті емес/,
    rate: /жұлдызбен бағалаңыз/,
    thanksAsk: /Бағаңызға рақмет/,
    noComment: /Пікірсіз/,
    thanks: /Пікіріңізге рақмет/,
  },
};

const photoWith = (button: RegExp) => (c: Call) =>
  c.method === 'sendPhoto' && buttonsOf(c).some((b) => button.test(b.text));
const until = async (ok: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never: ${what}`);
};

test.each(['ru', 'kk'] as const)(
  '%s: change, then approve the new photo, then five stars (a stranger cannot answer)',
  async (language) => {
    const w = WORDS[language];
    const journey = new Journey(system);
    const customer = new TelegramUser(system.telegram.url, journey.chatId, 'Айгуль', language);
    const stranger = new TelegramUser(system.telegram.url, journey.chatId + 500_000, 'Бөгде', language);
    const request = journey.request();
    await journey.place({ customer: { ...request.customer, language } });
    await until(() => journey.kaspiRequests().length > 0, 'billed');
    await journey.pay();
    await until(async () => (await journey.view()).status === 'paid', 'paid');
    const [photo1, photo2] = system.production.products().map((p) => p.image!);
    await journey.shop('CO', photo1);

    const first = await customer.expect(photoWith(w.approve));
    expect(buttonsOf(first).map((b) => b.text)).toEqual(expect.arrayContaining([expect.stringMatching(w.change)]));
    const change = TelegramUser.button(first, w.change).callback_data!;
    // The same button pressed by someone else: the workflow's validator refuses, the bot says so.
    await stranger.press(change.replace(/^apr:c/, 'apr:y'));
    await stranger.expect(w.late);

    await customer.press(change);
    await customer.expect(w.ask);
    await customer.say('Без лилий, пожалуйста');
    await customer.expect(w.sent);
    expect((await journey.view()).approval).toMatchObject({
      state: 'change_requested',
      comment: 'Без лилий, пожалуйста',
    });

    await journey.shop('CO', photo2);
    const second = await customer.expect(photoWith(w.approve));
    expect(second.payload.photo).toBe(photo2);
    await customer.press(TelegramUser.button(second, w.approve).callback_data!);
    await customer.expect(w.approved);
    await until(() => journey.crmOrders()[0].approvals?.at(-1)?.decision === 'approved', 'CRM heard the approval');

    await journey.shop('DE');
    await journey.shop('F');
    const stars = await customer.expect(w.rate);
    expect(buttonsOf(stars).map((b) => b.text)).toEqual(['1⭐', '2⭐', '3⭐', '4⭐', '5⭐']);
    await customer.press(TelegramUser.button(stars, /^5/).callback_data!);
    const ask = await customer.expect(w.thanksAsk);
    if (language === 'ru') await customer.say('Очень красиво');
    else await customer.press(TelegramUser.button(ask, w.noComment).callback_data!);
    await customer.expect(w.thanks);

    const done = (await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).result()) as OrderView;
    expect(done.rating).toMatchObject({ stars: 5, ...(language === 'ru' ? { comment: 'Очень красиво' } : {}) });
    const row = await system.db.prisma.order.findUniqueOrThrow({ where: { trackingId: journey.trackingId } });
    expect(row.ratingStars).toBe(5);
    expect(row.ratingComment).toBe(language === 'ru' ? 'Очень красиво' : null);
    expect(textOf(first)).not.toBe('');
  },
  120_000,
);
