import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import { Api, InlineKeyboard } from 'grammy';
import { productImageJpeg } from '../../standins/images';
import { createTelegramStandin, TelegramStandin } from '../../standins/telegram';

const TOKEN = '123456:TEST-fake-token-abcdefghijklmnop';
const USER = { id: 5550002, is_bot: false, first_name: 'Мария', language_code: 'ru' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Body = Record<string, any>;

const control = async (standin: TelegramStandin, method: 'get' | 'post', route: string, json?: Body) =>
  (
    await got<Body>(`${standin.url}/__control${route}`, {
      method,
      json,
      responseType: 'json',
      throwHttpErrors: false,
      retry: { limit: 0 },
    })
  ).body;

describe('Telegram stand-in with a state file', () => {
  let dir: string;
  let file: string;
  const start = () => createTelegramStandin({ port: 0, token: TOKEN, stateFile: file });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-standin-'));
    file = path.join(dir, 'standins', 'telegram.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps chats, sent messages, files and id counters across a restart', async () => {
    const first = await start();
    let api = new Api(TOKEN, { apiRoot: first.url });
    const hello = await control(first, 'post', '/updates', { message: { from: USER, text: '/start' } });
    const jpeg = await productImageJpeg(697695, 1);
    const photo = (
      await got.post<Body>(`${first.url}/__control/files`, {
        body: jpeg,
        headers: { 'content-type': 'image/jpeg' },
        responseType: 'json',
      })
    ).body;
    const menu = await api.sendMessage(USER.id, 'Здравствуйте! Каталог:', {
      reply_markup: new InlineKeyboard().text('Букеты', 'catalog'),
    });
    const status = await api.sendMessage(USER.id, 'Заказ принят');
    await first.close();

    const second = await start();
    try {
      api = new Api(TOKEN, { apiRoot: second.url });
      const sent = await control(second, 'get', `/sent?chat_id=${USER.id}`);
      expect(sent.map((c: Body) => [c.method, c.payload.text])).toEqual([
        ['sendMessage', 'Здравствуйте! Каталог:'],
        ['sendMessage', 'Заказ принят'],
      ]);
      expect(sent[0].payload.reply_markup).toEqual({
        inline_keyboard: [[{ text: 'Букеты', callback_data: 'catalog' }]],
      });

      // Message ids go on from where the chat stopped; update ids too.
      const next = await api.sendMessage(USER.id, 'Оплата получена');
      expect(next.message_id).toBe(status.message_id + 1);
      const later = await control(second, 'post', '/updates', { message: { from: USER, text: 'спасибо' } });
      expect(later.update_id).toBeGreaterThan(hello.update_id);
      expect(later.message.message_id).toBe(next.message_id + 1);
      // The confirmed-by-nobody update from the first run is still waiting for the bot.
      expect((await api.getUpdates({ timeout: 0 })).map((u) => u.update_id)).toEqual([
        hello.update_id,
        later.update_id,
      ]);

      // Earlier messages can still be edited, and the user's photo still downloaded.
      const edited = await api.editMessageText(USER.id, status.message_id, 'Заказ собран');
      expect(edited).toMatchObject({ message_id: status.message_id, text: 'Заказ собран' });
      expect(menu.message_id).toBeLessThan(status.message_id);
      const stored = await api.getFile(photo.file_id);
      const download = await got(`${second.url}/file/bot${TOKEN}/${stored.file_path}`, { responseType: 'buffer' });
      expect(download.body.equals(jpeg)).toBe(true);
    } finally {
      await second.close();
    }
    expect(fs.readdirSync(path.dirname(file))).toEqual(['telegram.json']);
  });
});
