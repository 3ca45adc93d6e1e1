import { SHOP_SLOTS } from '../../common/slot-capacity';
import { shopDate } from '../support/dates';
import { startSystem, type TestSystem } from '../support/system';
import { botDeps, buttonsOf, runBot, seedCatalog, TelegramUser, textOf, type Call } from './support';

let system: TestSystem;
let bot: { stop(): Promise<void> };
beforeAll(async () => {
  system = await startSystem();
  await seedCatalog(system);
  bot = runBot(botDeps(system));
  // Day 3 is fully booked; on day 4 the 14:00 slot is.
  for (const slot of SHOP_SLOTS) await system.slots.override({ date: shopDate(3), slot }, 0);
  await system.slots.override({ date: shopDate(4), slot: '14:00-16:00' }, 0);
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await system?.stop();
});

const data = (call: Call) => buttonsOf(call).map((b) => b.callback_data);
const hasData = (prefix: string) => (c: Call) => data(c).some((d) => d?.startsWith(prefix));

describe('the bot does not offer a full slot (issue 15, item 2)', () => {
  test.each([
    ['ru', 5101, /Когда заберёте/, /На эту дату свободного времени уже нет/, /свободных мест нет/],
    ['kk', 5102, /Қашан алып кетесіз/, /Бұл күнге бос уақыт қалмады/, /бос орын қалмады/],
  ])(
    'in %s: a full day and a full slot are left out; a slot that fills on the summary is asked again',
    async (language, id, dayQuestion, noSlots, slotFull) => {
      const u = new TelegramUser(system.telegram.url, id, 'Дана', language);
      const [product] = await system.db.prisma.product.findMany({ where: { available: true }, orderBy: { id: 'asc' } });
      await u.press(`order:${product.externalId}`);
      await u.expect(hasData('co:type:'));
      await u.press('co:type:pickup');
      const days = await u.expect(dayQuestion);
      expect(data(days)).toContain(`co:date:${shopDate(4)}`);
      expect(data(days)).not.toContain(`co:date:${shopDate(3)}`);
      // Typed, the full day is refused as having no free time.
      await u.say(shopDate(3));
      await u.expect(noSlots);
      await u.press(`co:date:${shopDate(4)}`);
      const slots = await u.expect(hasData('co:slot:'));
      expect(data(slots)).not.toContain('co:slot:14:00-16:00');
      expect(data(slots)).toContain('co:slot:16:00-18:00');
      await u.press('co:slot:16:00-18:00');
      await u.expect((c) => buttonsOf(c).some((b) => b.request_contact === true));
      await u.shareContact('77015211545');
      await u.expect(hasData('co:confirm'));

      // Others take the last place while the summary is read: the order is refused and the time asked again.
      await system.slots.override({ date: shopDate(4), slot: '16:00-18:00' }, 0);
      await u.press('co:confirm');
      expect(textOf(await u.expect(slotFull))).not.toMatch(/CV[0-9A-Z]{10}/);
      const again = await u.expect(hasData('co:slot:'));
      expect(data(again)).not.toContain('co:slot:16:00-18:00');
      await system.slots.override({ date: shopDate(4), slot: '16:00-18:00' }, 100);
    },
    120_000,
  );
});
