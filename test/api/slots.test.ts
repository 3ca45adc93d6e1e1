import { createOrderRecordActivities } from '../../activities/order-records';
import { signInitData } from '../../api/access';
import { releaseSlot } from '../../orders/slots';
import { shopDate } from '../support/dates';
import { FIXTURES, startSystem, type TestSystem } from '../support/system';
import { client, json, orderBody, seedReadModel, TEST_API_SETTINGS, trusted, until, type ErrorBody } from './support';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ api: TEST_API_SETTINGS });
  await seedReadModel(system);
}, 120_000);
afterAll(() => system?.stop());

type Load = { slot: string; capacity: number; taken: number; free: number; overridden: boolean };
type Placed = { trackingId: string };
type SlotFull = ErrorBody & {
  error: { details: { date: string; slot: string; nextFree: { date: string; slot: string }[] } };
};

const api = () => client(system.apiUrl);
const setCapacity = (date: string, slot: string, capacity: number) =>
  api().put(`api/v1/slots/${date}/${slot}`, { json: { capacity }, headers: trusted });
const loadOf = async (date: string, slot: string) =>
  json<{ slots: Load[] }>(await api().get('api/v1/slots', { searchParams: { date } })).slots.find(
    (l) => l.slot === slot,
  )!;
const order = (date: string, slot: string, headers: Record<string, string> = {}) =>
  api().post('api/v1/orders', {
    json: orderBody(system, { delivery: { type: 'pickup', date, slot } }),
    headers: { ...trusted, ...headers },
  });

describe('delivery slots with capacity (issue 15, item 2)', () => {
  test('200 customers racing for the last five places: exactly five orders, 195 refusals naming the next free slots', async () => {
    const [date, slot] = [shopDate(3), '16:00-18:00'];
    expect((await setCapacity(date, slot, 3)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await order(date, slot)).statusCode).toBe(201);
    await setCapacity(date, slot, 8); // five places left

    const started = Date.now();
    // Half with an Idempotency-Key (the claim and the place in one transaction), half without.
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        order(date, slot, i % 2 ? { 'Idempotency-Key': `race-${process.pid}-${i}` } : {}),
      ),
    );
    const elapsedMs = Date.now() - started;
    const created = answers.filter((a) => a.statusCode === 201);
    const refused = answers.filter((a) => a.statusCode === 409);
    console.log(`slot race: 200 orders in ${elapsedMs} ms, ${created.length} created, ${refused.length} refused`);
    expect(created).toHaveLength(5);
    expect(refused).toHaveLength(195);
    for (const r of refused) {
      const { error } = json<SlotFull>(r);
      expect(error.code).toBe('slot_full');
      expect(error.details).toMatchObject({ date, slot });
      expect(error.details.nextFree[0]).toEqual({ date, slot: '18:00-20:00' });
      expect(error.details.nextFree).toHaveLength(3);
    }
    expect(await loadOf(date, slot)).toEqual({ slot, capacity: 8, taken: 8, free: 0, overridden: true });
    const prisma = system.db.prisma;
    expect(await prisma.slotReservation.count({ where: { date, slot, releasedAt: null } })).toBe(8);
    // A refused order's key was rolled back with its place: only the winners' keys are kept.
    const keys = await prisma.idempotencyKey.findMany({ where: { key: { startsWith: `race-${process.pid}-` } } });
    const winners = created.map((c) => json<Placed>(c).trackingId);
    expect(keys.every((k) => winners.includes(k.trackingId))).toBe(true);
  }, 180_000);

  test('a cancelled order gives its place back once; recording the cancellation again frees nothing', async () => {
    const [date, slot] = [shopDate(4), '12:00-14:00'];
    await setCapacity(date, slot, 1);
    const first = await order(date, slot);
    expect(first.statusCode).toBe(201);
    expect(json<SlotFull>(await order(date, slot)).error.code).toBe('slot_full');

    const { trackingId } = json<Placed>(first);
    expect((await api().post(`api/v1/orders/${trackingId}/cancel`, { json: {}, headers: trusted })).statusCode).toBe(
      200,
    );
    expect(
      (
        await until(
          () => loadOf(date, slot),
          (l) => l.free === 1,
        )
      ).taken,
    ).toBe(0);

    // The status written again (an activity retried) and a direct release race: still one place freed.
    const records = createOrderRecordActivities({ prisma: system.db.prisma });
    await records.recordStatus({ trackingId, status: 'cancelled', cancelReason: 'customer' });
    const again = await Promise.all(
      [0, 1].map(() => system.db.prisma.$transaction((tx) => releaseSlot(tx, trackingId))),
    );
    expect(again).toEqual([false, false]);
    expect(await loadOf(date, slot)).toMatchObject({ capacity: 1, taken: 0, free: 1 });

    expect((await order(date, slot)).statusCode).toBe(201);
    expect(json<SlotFull>(await order(date, slot)).error.code).toBe('slot_full');
  }, 60_000);

  test('an order the workflow rejects gives its place and its key back', async () => {
    const [date, slot] = [shopDate(4), '18:00-20:00'];
    await setCapacity(date, slot, 1);
    const unknown = await api().post('api/v1/orders', {
      json: orderBody(system, {
        delivery: { type: 'pickup', date, slot },
        items: [{ productId: 999_999, quantity: 1 }],
      }),
      headers: { ...trusted, 'Idempotency-Key': `rejected-${process.pid}` },
    });
    expect(unknown.statusCode).toBe(422);
    expect(await loadOf(date, slot)).toMatchObject({ taken: 0, free: 1 });
    expect(await system.db.prisma.idempotencyKey.count({ where: { key: `rejected-${process.pid}` } })).toBe(0);
    expect((await order(date, slot)).statusCode).toBe(201);
  }, 60_000);

  test('anyone reads the places of a day; only an API key changes a capacity', async () => {
    const [date, slot] = [shopDate(5), '10:00-12:00'];
    const day = await api().get('api/v1/slots', { searchParams: { date } });
    expect(day.statusCode).toBe(200);
    expect(json<{ slots: Load[] }>(day).slots.map((l) => l.slot)).toEqual([
      '10:00-12:00',
      '12:00-14:00',
      '14:00-16:00',
      '16:00-18:00',
      '18:00-20:00',
      '20:00-22:00',
    ]);
    const initData = signInitData(
      { auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify({ id: 4242 }) },
      FIXTURES.telegramToken,
    );
    const put = (headers: Record<string, string>, body: Record<string, unknown> = { capacity: 2 }) =>
      api().put(`api/v1/slots/${date}/${slot}`, { json: body, headers });
    expect((await put({})).statusCode).toBe(403);
    expect((await put({ Authorization: `tma ${initData}` })).statusCode).toBe(403);
    expect((await put({ Authorization: 'Bearer wrong-key-0123456789abcdef0123456789' })).statusCode).toBe(401);
    expect((await put(trusted, { capacity: -1 })).statusCode).toBe(400);
    expect(
      (await api().put(`api/v1/slots/${date}/25:00-26:00`, { json: { capacity: 2 }, headers: trusted })).statusCode,
    ).toBe(400);
    expect((await api().get('api/v1/slots', { searchParams: { date: '2026-02-30' } })).statusCode).toBe(400);
    const changed = await put(trusted);
    expect(changed.statusCode).toBe(200);
    expect(changed.body).toMatchObject({ date, slot, capacity: 2, taken: 0, free: 2, overridden: true });
    expect(await loadOf(date, slot)).toMatchObject({ capacity: 2, overridden: true });
  });
});
