import got, { RequestError } from 'got';
import { Api, HttpError } from 'grammy';
import { createProductionApiStandin, ProductionApiStandin } from '../../standins/production-api';
import { createTelegramStandin, TelegramStandin } from '../../standins/telegram';

const PRODUCTION_TOKEN = 'test-production-token-0123456789';
const TELEGRAM_TOKEN = '123456:TEST-fake-token-abcdefghijklmnop';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Body = Record<string, any>;

const noRetry = { responseType: 'json' as const, throwHttpErrors: false, retry: { limit: 0 } };
const control = async (origin: string, method: 'get' | 'post' | 'delete', route: string, json?: Body) =>
  (await got<Body>(`${origin}/__control${route}`, { ...noRetry, method, json })).body;

/** The error a client sees when the connection is cut before any answer. */
const socketError = (err: unknown) => {
  expect(err).toBeInstanceOf(RequestError);
  expect((err as RequestError).response).toBeUndefined();
  expect((err as RequestError).code).toMatch(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE|EPIPE/);
};

describe('the "lost" fault: the call happens, its answer does not arrive', () => {
  let production: ProductionApiStandin;
  let telegram: TelegramStandin;
  beforeAll(async () => {
    production = await createProductionApiStandin({ port: 0, token: PRODUCTION_TOKEN });
    telegram = await createTelegramStandin({ port: 0, token: TELEGRAM_TOKEN });
  });
  afterAll(async () => {
    await production.close();
    await telegram.close();
  });

  const createOrder = () =>
    got.post<Body>(`${production.apiUrl}/orders/create/`, {
      ...noRetry,
      searchParams: { access_token: PRODUCTION_TOKEN },
      json: {
        railway_order_id: 'rw-lost-1',
        customer_phone: '+77015211545',
        pickup: 'Y',
        items: [{ product_id: 697695, quantity: 1, price: 750000 }],
        total_price: 750000,
      },
    });
  const kaspi = (action: string, searchParams: Record<string, string | number>) =>
    got<Body>(`${production.apiUrl}/paymentkaspi/${action}/`, {
      ...noRetry,
      searchParams: { access_token: PRODUCTION_TOKEN, ...searchParams },
    });

  it('creates the CRM order although the client sees a socket error; the retry finds it', async () => {
    const fault = await control(production.url, 'post', '/faults', {
      route: '/orders/create/',
      mode: 'lost',
      count: 1,
    });
    expect(fault).toMatchObject({ route: '/orders/create/', mode: 'lost', remaining: 1 });
    socketError(await createOrder().catch((err: unknown) => err));

    const orders = await control(production.url, 'get', '/orders');
    expect(orders).toEqual([expect.objectContaining({ railwayOrderId: 'rw-lost-1', createCalls: 1, status: 'N' })]);
    const retried = await createOrder();
    expect(retried.body).toMatchObject({ status: true, order_id: orders[0].orderId, duplicate: true });
    expect((await control(production.url, 'get', '/orders'))[0].createCalls).toBe(2);
  });

  it('creates the Kaspi payment request and makes the refund although their answers are lost', async () => {
    await control(production.url, 'post', '/faults', { route: '/paymentkaspi/create/', mode: 'lost', count: 1 });
    socketError(await kaspi('create', { phone: '77015211545', amount: 7500 }).catch((err: unknown) => err));
    const payment = (await control(production.url, 'get', '/payments'))[0];
    expect(payment).toMatchObject({ phone: '77015211545', amount: 7500, status: 'Wait' });

    await control(production.url, 'post', `/payments/${payment.externalId}`, { status: 'Processed' });
    await control(production.url, 'post', '/faults', { route: '/paymentkaspi/refund/', mode: 'lost', count: 2 });
    for (const amount of [1000, 2000]) {
      socketError(await kaspi('refund', { externalId: payment.externalId, amount }).catch((err: unknown) => err));
    }
    expect(await control(production.url, 'get', '/faults')).toEqual([]); // used up after two calls
    const refunded = (await control(production.url, 'get', '/payments'))[0];
    expect(refunded.refunds.map((r: Body) => r.amount)).toEqual([1000, 2000]);
    expect((await kaspi('status', { externalId: payment.externalId })).body.data.status).toBe('Processed');
  });

  it('sends the Telegram message although the bot sees a network error; the message id is spent', async () => {
    const api = new Api(TELEGRAM_TOKEN, { apiRoot: telegram.url });
    const chatId = 5550003;
    const before = await api.sendMessage(chatId, 'Заказ принят');
    await control(telegram.url, 'post', '/faults', { route: 'sendMessage', mode: 'lost', count: 1 });
    await expect(api.sendMessage(chatId, 'Оплата получена')).rejects.toBeInstanceOf(HttpError);
    const after = await api.sendMessage(chatId, 'Букет собран');
    expect(after.message_id).toBe(before.message_id + 2);

    const sent = await control(telegram.url, 'get', `/sent?chat_id=${chatId}`);
    expect(sent.map((c: Body) => [c.payload.text, c.ok, c.answerLost])).toEqual([
      ['Заказ принят', true, undefined],
      ['Оплата получена', true, true],
      ['Букет собран', true, undefined],
    ]);
    // The lost message is in the chat: it can be edited by the id the bot never received.
    const edited = await api.editMessageText(chatId, before.message_id + 1, 'Оплата получена ✅');
    expect(edited).toMatchObject({ text: 'Оплата получена ✅' });
  });
});
