import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { parseSlotCapacity } from '../../common/slot-capacity';
import { createOrderClient } from '../../orders/order-client';
import { createSlots } from '../../orders/slots';
import { OrderNotConfirmedError } from '../../orders/update-deadline';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { shopDate } from '../support/dates';

/**
 * Placing while Temporal cannot be reached at all (a port where nothing listens): the order was never started, so
 * the caller must not hear "taken, not confirmed", and the same key starts it later.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(() => db?.drop());

/** A loopback port that was free a moment ago: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('an order Temporal never started is not reported as taken; its key and place wait for the retry', async () => {
  const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}` });
  const orders = createOrderClient({
    temporal: new Client({ connection }),
    prisma: db.prisma,
    settings: { paymentDeadlineMs: 1_800_000, latePaymentWatchMs: 86_400_000 },
    slots: createSlots({ prisma: db.prisma, rules: parseSlotCapacity('10'), shopTimeZone: 'Asia/Almaty' }),
    placeTimeoutMs: 2_000,
  });
  const request = {
    customer: { phone: '+77015211545', name: 'Айгуль' },
    delivery: { type: 'pickup' as const, date: shopDate(1), slot: '14:00-16:00' },
    items: [{ productId: 697695, quantity: 1 }],
    paymentMethod: 'kaspi' as const,
  };
  const err = await orders.place(request, 'unreachable-1').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect(err).not.toBeInstanceOf(OrderNotConfirmedError);
  // The claim stays with its place: the same key retried later lands on the same tracking id.
  expect(await db.prisma.idempotencyKey.count()).toBe(1);
  await connection.close();
}, 60_000);
