import http from 'node:http';
import { AddressInfo } from 'node:net';
import got from 'got';
import { Api, Bot, GrammyError, InputFile, InlineKeyboard } from 'grammy';
import sharp from 'sharp';
import { productImageJpeg } from '../../standins/images';
import { createTelegramStandin, TelegramStandin } from '../../standins/telegram';

const TOKEN = '123456:TEST-fake-token-abcdefghijklmnop';
const USER = { id: 5550001, is_bot: false, first_name: 'Айгуль', language_code: 'ru' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Body = Record<string, any>;

describe('Telegram Bot API stand-in', () => {
  let standin: TelegramStandin;
  let api: Api;
  const call = (method: string, json: Body = {}) =>
    got.post<Body>(`${standin.url}/bot${TOKEN}/${method}`, {
      json,
      responseType: 'json',
      throwHttpErrors: false,
      retry: 0,
    });
  const control = (method: 'get' | 'post' | 'delete', path: string, json?: Body) =>
    got<Body>(`${standin.url}/__control${path}`, {
      method,
      json,
      responseType: 'json',
      throwHttpErrors: false,
      retry: 0,
    });
  const queue = async (update: Body) => (await control('post', '/updates', update)).body;

  beforeAll(async () => {
    standin = await createTelegramStandin({ port: 0, token: TOKEN });
    api = new Api(TOKEN, { apiRoot: standin.url });
  });
  afterAll(() => standin.close());
  beforeEach(() => control('post', '/reset'));

  it('answers getMe for the right token only', async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({ id: 123456, is_bot: true, username: expect.any(String) });
    const wrong = await got.post<Body>(`${standin.url}/bot1:WRONG/getMe`, {
      responseType: 'json',
      throwHttpErrors: false,
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  });

  it('holds getUpdates until an update is queued, fills the update and confirms it by offset', async () => {
    const started = Date.now();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const polled = api.getUpdates({ timeout: 20 });
    const waitingSince = Date.now();
    const queued = await queue({ message: { from: USER, text: '/start' } });
    expect(queued).toMatchObject({
      update_id: expect.any(Number),
      message: { message_id: 1, date: expect.any(Number), chat: { id: USER.id, type: 'private' }, text: '/start' },
    });
    const updates = await polled;
    expect(Date.now() - waitingSince).toBeLessThan(5_000);
    expect(updates).toEqual([queued]);

    // Unconfirmed updates come again; an offset past them confirms them.
    expect(await api.getUpdates({ timeout: 0 })).toEqual([queued]);
    expect(await api.getUpdates({ offset: queued.update_id + 1, timeout: 0 })).toEqual([]);
    expect((await control('get', '/updates')).body).toEqual([]);
  });

  it('serves a real grammY bot in long-polling mode', async () => {
    const bot = new Bot(TOKEN, { client: { apiRoot: standin.url } });
    bot.on('message:text', (ctx) => ctx.reply(`Эхо: ${ctx.message.text}`));
    const running = bot.start({ timeout: 10 });
    try {
      await queue({ message: { from: USER, text: 'Салем!' } });
      const reply = (await control('get', `/sent?chat_id=${USER.id}&min=1&timeout=5000`)).body[0];
      expect(reply).toMatchObject({
        method: 'sendMessage',
        ok: true,
        payload: { chat_id: USER.id, text: 'Эхо: Салем!' },
      });
    } finally {
      await bot.stop();
      await running;
    }
    expect((await control('get', '/updates')).body).toEqual([]);
  });

  it('records sendMessage calls per chat, with keyboards, and enforces the 4096-character limit', async () => {
    await queue({ message: { from: USER, text: 'Привет' } });
    const keyboard = new InlineKeyboard().text('Каталог', 'catalog:0');
    const sent = await api.sendMessage(USER.id, 'Здравствуйте! Выберите букет.', { reply_markup: keyboard });
    expect(sent).toMatchObject({
      message_id: 2,
      chat: { id: USER.id, type: 'private', first_name: 'Айгуль' },
      from: { is_bot: true },
      text: 'Здравствуйте! Выберите букет.',
      reply_markup: { inline_keyboard: [[{ text: 'Каталог', callback_data: 'catalog:0' }]] },
    });
    await api.sendMessage(999, 'другому');

    const tooLong = api.sendMessage(USER.id, 'а'.repeat(4097));
    await expect(tooLong).rejects.toBeInstanceOf(GrammyError);
    await expect(tooLong).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: message is too long' });

    const log = (await control('get', `/sent?chat_id=${USER.id}`)).body;
    expect(log.map((c: Body) => [c.method, c.ok])).toEqual([
      ['sendMessage', true],
      ['sendMessage', false],
    ]);
    expect(log[0].payload).toMatchObject({
      chat_id: USER.id,
      reply_markup: { inline_keyboard: [[{ text: 'Каталог' }]] },
    });
    expect(Date.parse(log[0].at)).not.toBeNaN();

    const edited = await api.editMessageText(USER.id, sent.message_id, 'Каталог:');
    expect(edited).toMatchObject({ text: 'Каталог:', edit_date: expect.any(Number) });
    expect(edited).not.toHaveProperty('reply_markup');
    await expect(api.editMessageText(USER.id, sent.message_id, 'Каталог:')).rejects.toMatchObject({
      description: expect.stringContaining('message is not modified'),
    });
    await expect(api.editMessageText(USER.id, 777, 'x')).rejects.toMatchObject({
      description: 'Bad Request: message to edit not found',
    });
  });

  it('ties callback queries to their chat', async () => {
    const message = await api.sendMessage(USER.id, 'Выберите', {
      reply_markup: new InlineKeyboard().text('Да', 'yes'),
    });
    const update = await queue({ callback_query: { from: USER, message, data: 'yes' } });
    expect(update.callback_query).toMatchObject({ id: expect.any(String), chat_instance: expect.any(String) });
    await api.answerCallbackQuery(update.callback_query.id, { text: 'Готово' });
    await expect(api.answerCallbackQuery('nope')).rejects.toMatchObject({ error_code: 400 });
    const methods = (await control('get', `/sent?chat_id=${USER.id}`)).body.map((c: Body) => c.method);
    expect(methods).toEqual(['sendMessage', 'answerCallbackQuery']);
  });

  it('stores a user photo, serves it through getFile, and accepts uploads from the bot (multipart)', async () => {
    const jpeg = await productImageJpeg(697695, 1);
    const stored = await got.post<Body>(`${standin.url}/__control/files`, {
      body: jpeg,
      headers: { 'content-type': 'image/jpeg' },
      responseType: 'json',
    });
    expect(stored.body).toMatchObject({
      file_id: expect.any(String),
      file_unique_id: expect.any(String),
      width: 400,
      height: 400,
      file_size: jpeg.length,
    });
    const file = await api.getFile(stored.body.file_id);
    expect(file.file_path).toMatch(/\.jpg$/);
    const download = await got(`${standin.url}/file/bot${TOKEN}/${file.file_path}`, { responseType: 'buffer' });
    expect(download.body.equals(jpeg)).toBe(true);
    const refused = await got(`${standin.url}/__control/files`, {
      method: 'POST',
      body: 'text',
      headers: { 'content-type': 'text/plain' },
      throwHttpErrors: false,
    });
    expect(refused.statusCode).toBe(415);

    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#d04060' } })
      .png()
      .toBuffer();
    const photo = await api.sendPhoto(USER.id, new InputFile(png, 'bouquet.png'), { caption: 'Ваш букет готов' });
    const largest = photo.photo.at(-1)!;
    expect(largest).toMatchObject({ width: 640, height: 480 });
    expect(photo.photo[0].width).toBeLessThanOrEqual(90);
    expect(photo.caption).toBe('Ваш букет готов');
    const back = await got(`${standin.url}/file/bot${TOKEN}/${(await api.getFile(largest.file_id)).file_path}`, {
      responseType: 'buffer',
    });
    expect(back.body.equals(png)).toBe(true);

    const again = await api.sendPhoto(USER.id, stored.body.file_id);
    expect(again.photo.at(-1)).toMatchObject({ file_id: stored.body.file_id });
    await expect(api.sendPhoto(USER.id, 'no-such-file')).rejects.toMatchObject({ error_code: 400 });
    const log = (await control('get', `/sent?chat_id=${USER.id}`)).body;
    expect(log[0].payload.photo).toMatch(/^attach:\/\//);
  });

  it('answers 429 with retry_after when a fault is set, then recovers', async () => {
    await control('post', '/faults', { route: 'sendMessage', mode: 'error429', count: 1 });
    const limited = await call('sendMessage', { chat_id: USER.id, text: 'раз' });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    expect((await call('sendMessage', { chat_id: USER.id, text: 'два' })).body.ok).toBe(true);

    await control('post', '/faults', { route: 'sendChatAction', mode: 'down' });
    await expect(api.sendChatAction(USER.id, 'typing')).rejects.toThrow();
    await control('delete', '/faults');
    expect(await api.sendChatAction(USER.id, 'typing')).toBe(true);

    const log = (await control('get', `/sent?chat_id=${USER.id}&min=4`)).body;
    expect(log.map((c: Body) => [c.method, c.ok, c.errorCode])).toEqual([
      ['sendMessage', false, 429],
      ['sendMessage', true, undefined],
      ['sendChatAction', false, undefined],
      ['sendChatAction', true, undefined],
    ]);
  });

  it('delivers updates to a webhook with the secret token header once one is set', async () => {
    const received: { secret: unknown; body: Body }[] = [];
    let answerWith = 500;
    let secondArrived = () => {};
    const twoDeliveries = new Promise<void>((resolve) => (secondArrived = resolve));
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        received.push({ secret: req.headers['x-telegram-bot-api-secret-token'], body: JSON.parse(raw) });
        res.writeHead(answerWith).end();
        answerWith = 200;
        if (received.length === 2) secondArrived();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
      await api.setWebhook(url, { secret_token: 'webhook-secret-123456' });
      await expect(api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
      const update = await queue({ message: { from: USER, text: 'по вебхуку' } });
      await twoDeliveries; // the first delivery is refused (500), so Telegram retries
      expect(received.map((r) => r.body.update_id)).toEqual([update.update_id, update.update_id]);
      expect(received[1].secret).toBe('webhook-secret-123456');
      expect((await api.getWebhookInfo()).pending_update_count).toBe(0);
    } finally {
      await api.deleteWebhook();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
