import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import { Api, GrammyError } from 'grammy';
import { createTelegramStandin, TelegramStandin } from '../../standins/telegram';

const TOKEN = '123456:TEST-fake-token-abcdefghijklmnop';
const USER = { id: 5550004, is_bot: false, first_name: 'Айгуль', username: 'aigul_k' };
const OTHER = 5550005;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Body = Record<string, any>;

describe('Telegram stand-in: users who block the bot, and flood limits', () => {
  let dir: string;
  let standin: TelegramStandin;
  let api: Api;
  const start = async () => {
    standin = await createTelegramStandin({ port: 0, token: TOKEN, stateFile: path.join(dir, 'telegram.json') });
    api = new Api(TOKEN, { apiRoot: standin.url });
  };
  const control = async (method: 'get' | 'post' | 'delete', route: string, json?: Body) =>
    got<Body>(`${standin.url}/__control${route}`, {
      method,
      json,
      responseType: 'json',
      throwHttpErrors: false,
      retry: { limit: 0 },
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-standin-'));
    await start();
  });
  afterAll(async () => {
    await standin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 403 "bot was blocked by the user" to every call for a blocked chat, until unblocked', async () => {
    await control('post', '/updates', { message: { from: USER, text: '/start' } });
    const [hello] = await api.getUpdates({ timeout: 0 });
    const first = await api.sendMessage(USER.id, 'Здравствуйте!');

    const blocked = await control('post', `/chats/${USER.id}/block`);
    expect(blocked.statusCode).toBe(200);
    expect(blocked.body).toMatchObject({ chat_id: String(USER.id), blocked: true });

    const raw = await got.post<Body>(`${standin.url}/bot${TOKEN}/sendMessage`, {
      json: { chat_id: USER.id, text: 'Ваш заказ оплачен' },
      responseType: 'json',
      throwHttpErrors: false,
    });
    expect(raw.statusCode).toBe(403);
    expect(raw.body).toEqual({ ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await expect(api.sendPhoto(USER.id, 'https://example.invalid/a.jpg')).rejects.toMatchObject({ error_code: 403 });
    await expect(api.editMessageText(USER.id, first.message_id, 'Изменено')).rejects.toBeInstanceOf(GrammyError);
    await expect(api.sendChatAction(USER.id, 'typing')).rejects.toMatchObject({ error_code: 403 });
    expect((await api.sendMessage(OTHER, 'Другой чат')).text).toBe('Другой чат'); // others are unaffected

    // The bot hears of it as Telegram tells it: a my_chat_member update, the bot now "kicked".
    const [kicked] = await api.getUpdates({ offset: hello.update_id + 1, timeout: 0 });
    expect(kicked.my_chat_member).toMatchObject({
      chat: { id: USER.id, type: 'private' },
      from: { id: USER.id, is_bot: false, first_name: USER.first_name },
      old_chat_member: { status: 'member', user: { id: 123456, is_bot: true } },
      new_chat_member: { status: 'kicked', user: { id: 123456, is_bot: true } },
    });
    expect((await control('get', `/chats/${USER.id}`)).body).toMatchObject({ blocked: true });

    // A restart does not unblock anyone.
    await standin.close();
    await start();
    await expect(api.sendMessage(USER.id, 'После перезапуска')).rejects.toMatchObject({ error_code: 403 });

    const unblocked = await control('delete', `/chats/${USER.id}/block`);
    expect(unblocked.body).toMatchObject({ blocked: false, update: { my_chat_member: expect.any(Object) } });
    expect(unblocked.body.update.my_chat_member.new_chat_member.status).toBe('member');
    const again = await api.sendMessage(USER.id, 'С возвращением!');
    // Refused calls spent no message id.
    expect(again.message_id).toBe(first.message_id + 1);

    const log = (await control('get', `/sent?chat_id=${USER.id}`)).body;
    expect(log.map((c: Body) => [c.method, c.ok, c.errorCode])).toEqual([
      ['sendMessage', true, undefined],
      ['sendMessage', false, 403],
      ['sendPhoto', false, 403],
      ['editMessageText', false, 403],
      ['sendChatAction', false, 403],
      ['sendMessage', false, 403],
      ['sendMessage', true, undefined],
    ]);
  });

  it('blocks silently when asked not to notify', async () => {
    const blocked = await control('post', `/chats/${OTHER}/block`, { notify: false });
    expect(blocked.body).toEqual({ chat_id: String(OTHER), blocked: true });
    await expect(api.sendMessage(OTHER, 'x')).rejects.toMatchObject({ error_code: 403 });
    await control('delete', `/chats/${OTHER}/block`, { notify: false });
  });

  it('answers a flood limit as Telegram does: retry_after in the body and the same in Retry-After', async () => {
    await control('post', '/faults', { route: 'sendMessage', mode: 'error429', retryAfter: 7, count: 1 });
    const limited = await got.post<Body>(`${standin.url}/bot${TOKEN}/sendMessage`, {
      json: { chat_id: OTHER, text: 'быстро' },
      responseType: 'json',
      throwHttpErrors: false,
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
    expect((await api.sendMessage(OTHER, 'снова')).text).toBe('снова');
  });
});
