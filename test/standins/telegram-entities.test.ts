import { Api } from 'grammy';
import got from 'got';
import { findEntities } from '../../standins/telegram-entities';
import { createTelegramStandin, TelegramStandin } from '../../standins/telegram';

const TOKEN = '123456:TEST-fake-token-abcdefghijklmnop';
const USER = { id: 5550006, is_bot: false, first_name: 'Айгуль' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Body = Record<string, any>;

/** Entities as [type, the text they cover], to read the expectations at a glance. */
const covered = (text: string, entities: { type: string; offset: number; length: number }[] = []) =>
  entities.map((e) => [e.type, text.slice(e.offset, e.offset + e.length)]);

describe('entities Telegram finds in plain text', () => {
  it('counts offsets in UTF-16 code units, past emoji and Cyrillic', () => {
    const text =
      'Привет 🌹 /help и @aigul_k: https://cvety.kz/catalog?id=5, пишите ivan.petrov@cvety.kz или на cvety.kz.';
    const entities = findEntities(text);
    expect(entities).toEqual([
      { type: 'bot_command', offset: 10, length: 5 }, // the rose is two code units: /help starts at 10, not 9
      { type: 'mention', offset: 18, length: 8 },
      { type: 'url', offset: 28, length: 29 },
      { type: 'email', offset: 66, length: 20 },
      { type: 'url', offset: 94, length: 8 },
    ]);
    expect(covered(text, entities)).toEqual([
      ['bot_command', '/help'],
      ['mention', '@aigul_k'],
      ['url', 'https://cvety.kz/catalog?id=5'],
      ['email', 'ivan.petrov@cvety.kz'],
      ['url', 'cvety.kz'],
    ]);
  });

  it.each([
    ['/start', [['bot_command', '/start']]],
    ['/orders@cvety_kz_bot 2', [['bot_command', '/orders@cvety_kz_bot']]],
    ['покажи /orders@cvety_kz_bot', [['bot_command', '/orders@cvety_kz_bot']]],
    ['и/или, 1/2, /a/b', []],
    ['/start@ab', []], // a bot username needs 3 characters at least
    [
      '@ab @abc @abcd @gif',
      [
        ['mention', '@abcd'],
        ['mention', '@gif'],
      ],
    ],
    ['почта@abcde', []], // preceded by a letter: not a mention
    [
      '#цветы #8марта #2024 ##двойной',
      [
        ['hashtag', '#цветы'],
        ['hashtag', '#8марта'],
        ['hashtag', '#двойной'],
      ],
    ],
    [
      '$USD и $1INCH, не $usd',
      [
        ['cashtag', '$USD'],
        ['cashtag', '$1INCH'],
      ],
    ],
    ['цена 7.500 ₸, в 10:00-12:00', []],
    ['hello.world и www.cvety.kz/о-нас', [['url', 'www.cvety.kz/о-нас']]],
    [
      'сайт (цветы.рф) и http://localhost.test:8080/path?x=1.',
      [
        ['url', 'цветы.рф'],
        ['url', 'http://localhost.test:8080/path?x=1'],
      ],
    ],
    ['адрес 192.168.0.1 и 999.1.1.1', [['url', '192.168.0.1']]],
    ['mail: a.b+shop@cvety.kz, bad@x.y', [['email', 'a.b+shop@cvety.kz']]],
    ['🌷🌷 https://cvety.kz/@shop', [['url', 'https://cvety.kz/@shop']]],
  ])('%s', (text, expected) => {
    expect(covered(text, findEntities(text))).toEqual(expected);
  });

  it('marks phone numbers in what users send only', () => {
    const text = 'Мой номер +7 (701) 521-15-45, рабочий +77015211545';
    expect(covered(text, findEntities(text, { phones: true }))).toEqual([
      ['phone_number', '+7 (701) 521-15-45'],
      ['phone_number', '+77015211545'],
    ]);
    expect(findEntities(text)).toEqual([]);
  });
});

describe('Telegram stand-in fills entities as Telegram does', () => {
  let standin: TelegramStandin;
  let api: Api;
  const queue = async (update: Body) =>
    (await got.post<Body>(`${standin.url}/__control/updates`, { json: update, responseType: 'json' })).body;

  beforeAll(async () => {
    standin = await createTelegramStandin({ port: 0, token: TOKEN });
    api = new Api(TOKEN, { apiRoot: standin.url });
  });
  afterAll(() => standin.close());

  it('in updates users send: text entities, caption entities, and entities the update names are kept', async () => {
    const text = '🌹 /orders@cvety_kz_standin_bot, позвоните +7 701 521 15 45';
    const queued = await queue({ message: { from: USER, text } });
    expect(covered(text, queued.message.entities)).toEqual([
      ['bot_command', '/orders@cvety_kz_standin_bot'],
      ['phone_number', '+7 701 521 15 45'],
    ]);
    expect(queued.message.entities[0]).toEqual({ type: 'bot_command', offset: 3, length: 28 });

    const photo = await queue({
      message: {
        from: USER,
        photo: [{ file_id: 'x', file_unique_id: 'y', width: 1, height: 1 }],
        caption: 'как #этот',
      },
    });
    expect(photo.message.caption_entities).toEqual([{ type: 'hashtag', offset: 4, length: 5 }]);

    const named = await queue({ message: { from: USER, text: '/start', entities: [] } });
    expect(named.message.entities).toEqual([]);
    const plain = await queue({ message: { from: USER, text: 'просто текст' } });
    expect(plain.message).not.toHaveProperty('entities');

    const updates = await api.getUpdates({ timeout: 0 });
    expect(updates[0].message?.entities).toEqual(queued.message.entities);
  });

  it('in what the bot sends: links, mentions and commands, no phone numbers; edits recompute them', async () => {
    const text = 'Заказ 🌹 принят: https://cvety.kz/o/123. Вопросы: @cvety_support или /help, тел. +77015211545';
    const sent = await api.sendMessage(USER.id, text);
    expect(covered(text, sent.entities)).toEqual([
      ['url', 'https://cvety.kz/o/123'],
      ['mention', '@cvety_support'],
      ['bot_command', '/help'],
    ]);
    expect(sent.entities?.[0]).toEqual({ type: 'url', offset: 17, length: 22 });

    const html = await api.sendMessage(USER.id, '<b>Сайт:</b> cvety.kz', { parse_mode: 'HTML' });
    expect(covered(html.text, html.entities)).toEqual([['url', 'cvety.kz']]);

    const given = await api.sendMessage(USER.id, 'Жирный и cvety.kz', {
      entities: [{ type: 'bold', offset: 0, length: 6 }],
    });
    expect(covered(given.text, given.entities)).toEqual([
      ['bold', 'Жирный'],
      ['url', 'cvety.kz'],
    ]);

    const edited = (await api.editMessageText(USER.id, sent.message_id, 'Заказ собран, фото: cvety.kz/p/1')) as Body;
    expect(covered(edited.text, edited.entities)).toEqual([['url', 'cvety.kz/p/1']]);
    const plain = await api.sendMessage(USER.id, 'Спасибо!');
    expect(plain).not.toHaveProperty('entities');
  });
});
