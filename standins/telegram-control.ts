import express, { Request, Response, Router } from 'express';
import { randomInt } from 'node:crypto';
import { fail, mountCommonControl } from './control-common';
import { FaultBook } from './faults';
import { Timers } from './server';
import { findEntities } from './telegram-entities';
import { asText, Json, TelegramState } from './telegram-state';

/** `/__control/*` of the Telegram stand-in: play the users (updates, photos) and read what the bot sent. */
interface Deps {
  state: TelegramState;
  faults: FaultBook;
  timers: Timers;
  queueUpdate(update: Json): Json;
  storeFile(bytes: Buffer): Promise<unknown>;
  sentListeners: Set<() => void>;
  setBlocked(chatId: string, blocked: boolean, notify: boolean): Json;
  reset(): void;
}

const MESSAGE_KEYS = ['message', 'edited_message', 'channel_post', 'edited_channel_post'];
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Completes an Update the way Telegram would have: update_id, date, message_id, chat, callback ids. */
export function fillUpdate(state: TelegramState, input: Json): Json {
  const update: Json = structuredClone(input);
  update.update_id = state.takeUpdateId(update.update_id);
  const fillMessage = (message: Json, newId: boolean): string | undefined => {
    const from = isObject(message.from) ? message.from : undefined;
    if (!isObject(message.chat) && from) {
      const { id, first_name, last_name, username } = from;
      message.chat = { id, type: 'private', first_name, last_name, username };
    }
    if (!isObject(message.chat)) return undefined;
    const chatId = asText(message.chat.id);
    if (!state.chats.has(chatId) || message.chat.type === 'private') state.chats.set(chatId, message.chat);
    message.date ??= Math.floor(Date.now() / 1000);
    // Telegram marks commands, mentions, links… in what users write; an update that names its own keeps them.
    for (const [field, entities] of [
      ['text', 'entities'],
      ['caption', 'caption_entities'],
    ] as const) {
      if (typeof message[field] !== 'string' || message[entities] !== undefined) continue;
      const found = findEntities(message[field], { phones: true });
      if (found.length > 0) message[entities] = found;
    }
    // A new message takes the chat's next id; a callback's message is the bot's latest one unless named.
    message.message_id = newId
      ? state.takeMessageId(chatId, message.message_id)
      : (message.message_id ?? state.lastMessageId(chatId));
    return chatId;
  };
  for (const key of MESSAGE_KEYS) if (isObject(update[key])) fillMessage(update[key], true);
  const query = update.callback_query;
  if (isObject(query)) {
    query.id ??= `${randomInt(1e9, 9e9)}${randomInt(1e9, 9e9)}`;
    query.chat_instance ??= `-${randomInt(1e9, 9e9)}${randomInt(1e6, 9e6)}`;
    const chatId = isObject(query.message) ? fillMessage(query.message, false) : undefined;
    const fromId = isObject(query.from) ? asText(query.from.id) : undefined;
    state.callbackQueries.set(asText(query.id), chatId ?? fromId);
  }
  return update;
}

export function createTelegramControl(deps: Deps): Router {
  const { state, faults } = deps;
  const router = Router();

  router.post('/updates', express.json({ limit: '5mb' }), (req: Request, res: Response) => {
    const body: unknown = req.body;
    const inputs = Array.isArray(body) ? body : [body];
    if (inputs.length === 0 || !inputs.every(isObject))
      return fail(res, 400, 'invalid_body', 'an Update object (or an array)');
    const filled = inputs.map((u) => deps.queueUpdate(u));
    res.json(Array.isArray(body) ? filled : filled[0]);
  });
  router.get('/updates', (_req: Request, res: Response) => res.json(state.pending));

  router.post(
    '/files',
    express.raw({ type: ['image/jpeg', 'image/png', 'image/webp'], limit: '20mb' }),
    async (req: Request, res: Response) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        return fail(
          res,
          415,
          'unsupported_media_type',
          'send raw bytes with Content-Type image/jpeg, image/png or image/webp',
        );
      }
      try {
        res.json(await deps.storeFile(req.body));
      } catch (err) {
        fail(res, 400, 'not_an_image', (err as Error).message);
      }
    },
  );

  // ?chat_id= filters; ?min=N&timeout=ms holds the answer until N calls are recorded (for tests, without sleeps).
  router.get('/sent', async (req: Request, res: Response) => {
    const chatId = typeof req.query.chat_id === 'string' ? req.query.chat_id : undefined;
    const min = Number(req.query.min ?? 0) || 0;
    const deadline = Date.now() + Math.min(60_000, Number(req.query.timeout ?? 5_000) || 5_000);
    const select = () => state.calls.filter((c) => chatId === undefined || c.chatId === chatId);
    // One timer and one close listener per request, however many messages wake it (a long wait sees thousands).
    let wake = () => {};
    const stop = () => wake();
    res.on('close', stop);
    if (select().length < min) void deps.timers.sleep(deadline - Date.now()).then(stop);
    while (select().length < min && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        deps.sentListeners.add(resolve);
      });
      if (res.writableEnded || res.destroyed) return;
    }
    res.off('close', stop);
    res.json(
      select().map(({ method, payload, at, ok, errorCode, answerLost }) => ({
        method,
        payload,
        at,
        ok,
        errorCode,
        answerLost,
      })),
    );
  });

  // The user blocks the bot (POST) or unblocks it (DELETE); `{"notify":false}` skips the my_chat_member update.
  const blocking = (blocked: boolean) => (req: Request, res: Response) => {
    const notify = (req.body as Json | undefined)?.notify !== false;
    res.json(deps.setBlocked(String(req.params.chatId), blocked, notify));
  };
  router.post('/chats/:chatId/block', express.json(), blocking(true));
  router.delete('/chats/:chatId/block', express.json(), blocking(false));
  router.get('/chats/:chatId', (req: Request, res: Response) => {
    const chatId = String(req.params.chatId);
    res.json({ chat: state.chats.get(chatId) ?? null, blocked: state.blocked.has(chatId) });
  });

  router.get('/webhook', (_req: Request, res: Response) => res.json(state.webhook));
  return mountCommonControl(router, faults, () => deps.reset());
}
