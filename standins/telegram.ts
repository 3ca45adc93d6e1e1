import express, { NextFunction, Request, Response } from 'express';
import got from 'got';
import multer from 'multer';
import { FaultBook } from './faults';
import { listen, Timers } from './server';
import { StateFile } from './state-file';
import { createTelegramControl, fillUpdate } from './telegram-control';
import { createBotMethods } from './telegram-methods';
import {
  asText,
  BotApiError,
  Json,
  PhotoSize,
  RecordedCall,
  TelegramChange,
  TelegramSnapshot,
  TelegramState,
} from './telegram-state';

/**
 * Stand-in for the Telegram Bot API: `/bot<token>/<method>` (query, JSON, urlencoded or multipart, as grammY
 * sends them), file downloads at `/file/bot<token>/<file_path>`, long polling or webhook delivery, and
 * `/__control/*` routes that play the users and show what the bot sent.
 */
export interface TelegramStandinOptions {
  port?: number;
  host?: string;
  token: string;
  /**
   * A JSON file holding chats, messages, the recorded calls (capped), file metadata, pending updates and id
   * counters: loaded at start, saved after every change, so a restart resumes them. In memory only when unset.
   */
  stateFile?: string;
}

export interface TelegramStandin {
  /** Origin, e.g. http://127.0.0.1:4020: what TELEGRAM_API_ROOT points at. */
  url: string;
  close(): Promise<void>;
  /** Same as `POST /__control/updates`: queues an update, filling ids and dates; returns it filled. */
  queueUpdate(update: Json): Json;
  /** Every recorded Bot API call (getUpdates aside), optionally for one chat only. */
  sent(chatId?: string | number): RecordedCall[];
  /** Same as `POST /__control/files`. */
  storeFile(bytes: Buffer): Promise<PhotoSize & { photo: PhotoSize[] }>;
  reset(): void;
}

const BLOCKED = 'Forbidden: bot was blocked by the user';
const CONFLICT_OTHER_POLL =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const CONFLICT_WEBHOOK =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/** Values of query strings and multipart fields arrive as text; objects and arrays are JSON inside. */
function fromText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

export async function createTelegramStandin(opts: TelegramStandinOptions): Promise<TelegramStandin> {
  const state = new TelegramState();
  const stateFile = opts.stateFile ? new StateFile<TelegramSnapshot, TelegramChange>(opts.stateFile, state) : undefined;
  stateFile?.resume((saved) => state.restore(saved));
  const changed = () => stateFile?.changed();
  const timers = new Timers();
  const faults = new FaultBook(['down', 'lost', 'error500', 'error429', 'slow'], (route, call) =>
    [call.toLowerCase(), '*'].includes(route.toLowerCase()),
  );
  const botId = Number(opts.token.split(':')[0]) || 1;
  const bot: Json = {
    id: botId,
    is_bot: true,
    first_name: 'Цветы.kz',
    username: 'cvety_kz_standin_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
  const methods = new Map(Object.entries(createBotMethods(state, bot)).map(([name, fn]) => [name.toLowerCase(), fn]));
  const sentListeners = new Set<() => void>();
  let poller: { wake(): void; conflict(): void } | null = null;
  let closed = false;

  function record(call: RecordedCall): void {
    state.calls.push(call);
    const listeners = [...sentListeners];
    sentListeners.clear();
    listeners.forEach((notify) => notify());
  }

  function queueUpdate(update: Json): Json {
    const filled = fillUpdate(state, update);
    state.pending.push(filled);
    changed();
    poller?.wake();
    void deliverToWebhook();
    return filled;
  }

  /**
   * The user blocks (or unblocks) the bot: calls to the chat answer 403 until unblocked, and the bot hears of
   * it through a `my_chat_member` update (status kicked / member), as Telegram tells it.
   */
  function setBlocked(chatId: string, blocked: boolean, notify: boolean): Json {
    const was = state.blocked.has(chatId);
    if (blocked) state.blocked.add(chatId);
    else state.blocked.delete(chatId);
    changed();
    const chat = state.chats.get(chatId) ?? state.chatFor(chatId);
    let update: Json | undefined;
    if (notify && was !== blocked && chat.type === 'private') {
      const me = { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
      const { id, first_name, last_name, username } = chat;
      update = queueUpdate({
        my_chat_member: {
          chat,
          from: { id, is_bot: false, first_name: first_name ?? String(id), last_name, username },
          date: Math.floor(Date.now() / 1000),
          old_chat_member: blocked ? { user: me, status: 'member' } : { user: me, status: 'kicked', until_date: 0 },
          new_chat_member: blocked ? { user: me, status: 'kicked', until_date: 0 } : { user: me, status: 'member' },
        },
      });
    }
    return { chat_id: chatId, blocked, ...(update ? { update } : {}) };
  }

  async function storeFile(bytes: Buffer) {
    const file = await state.storeImage(bytes);
    file.fromUser = true;
    const photo = await state.photoSizes(file);
    changed();
    return { ...state.photoSize(file), photo };
  }

  /** Webhook mode: POST each pending update in order, retrying with back-off until the bot answers 2xx. */
  let delivering = false;
  let inFlight: { cancel(): void } | undefined;
  async function deliverToWebhook(): Promise<void> {
    if (delivering) return;
    delivering = true;
    let failures = 0;
    while (!closed && state.webhook && state.pending.length > 0) {
      const [update] = state.pending;
      const hook = state.webhook;
      try {
        const request = got.post(hook.url, {
          json: update,
          headers: hook.secretToken ? { 'X-Telegram-Bot-Api-Secret-Token': hook.secretToken } : {},
          timeout: 10_000,
          retry: 0,
          throwHttpErrors: false,
        });
        inFlight = request;
        const res = await request;
        if (res.statusCode >= 200 && res.statusCode < 300) {
          state.pending = state.pending.filter((u) => u !== update);
          changed();
          failures = 0;
          continue;
        }
        hook.lastError = `Wrong response from the webhook: ${res.statusCode} ${res.statusMessage ?? ''}`.trim();
      } catch (err) {
        hook.lastError = (err as Error).message;
      }
      hook.lastErrorAt = Math.floor(Date.now() / 1000);
      failures += 1;
      await timers.sleep(Math.min(5_000, 250 * 2 ** failures));
    }
    delivering = false;
  }

  async function getUpdates(payload: Json, res: Response): Promise<Json[]> {
    if (state.webhook) throw new BotApiError(409, CONFLICT_WEBHOOK);
    poller?.conflict();
    const offset = Number(payload.offset ?? 0) || 0;
    const limit = Math.min(100, Math.max(1, Number(payload.limit ?? 100) || 100));
    const timeout = Math.max(0, Number(payload.timeout ?? 0) || 0);
    // An offset confirms every update below it; a negative one keeps only the last |offset| updates.
    if (offset > 0) state.pending = state.pending.filter((u) => (u.update_id as number) >= offset);
    if (offset < 0) state.pending = state.pending.slice(offset);
    if (state.pending.length === 0 && timeout > 0) {
      let conflicted = false;
      await new Promise<void>((resolve) => {
        const me = {
          wake: () => resolve(),
          conflict: () => {
            conflicted = true;
            resolve();
          },
        };
        poller = me;
        void timers.sleep(timeout * 1000).then(resolve);
        res.on('close', () => resolve());
      }).finally(() => {
        if (poller && !conflicted) poller = null;
      });
      if (conflicted) throw new BotApiError(409, CONFLICT_OTHER_POLL);
    }
    return state.pending.slice(0, limit);
  }

  const app = express();
  app.set('etag', false);
  // Any call but a read of the control routes or of a file may change the state: save once it is answered.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const readOnly = req.method === 'GET' && (req.path.startsWith('/__control') || req.path.startsWith('/file/'));
    if (stateFile && !readOnly) res.on('close', changed);
    next();
  });
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 50 * 1024 * 1024 } });

  app.use(
    '/__control',
    createTelegramControl({
      state,
      faults,
      timers,
      queueUpdate,
      storeFile,
      sentListeners,
      setBlocked,
      reset: () => reset(),
    }),
  );

  app.get('/file/:botToken/*filePath', (req: Request, res: Response) => {
    if (req.params.botToken !== `bot${opts.token}`) return res.status(401).json(botError(401, 'Unauthorized'));
    const filePath = ([] as string[]).concat(req.params.filePath).join('/');
    const file = [...state.files.values()].find((f) => f.filePath === filePath);
    if (!file?.bytes) return res.status(404).json(botError(404, 'Not Found'));
    res.type(file.mime).send(file.bytes);
  });

  const bodies = [express.json({ limit: '10mb' }), express.urlencoded({ extended: false }), upload.any()];
  app.all('/:botToken/:method', ...bodies, async (req: Request, res: Response) => {
    const token = String(req.params.botToken);
    if (!token.startsWith('bot')) return res.status(404).json(botError(404, 'Not Found'));
    if (token !== `bot${opts.token}`) return res.status(401).json(botError(401, 'Unauthorized'));
    const method = String(req.params.method);
    const handler = method.toLowerCase() === 'getupdates' ? undefined : methods.get(method.toLowerCase());
    if (!handler && method.toLowerCase() !== 'getupdates') return res.status(404).json(botError(404, 'Not Found'));

    const raw: Json = { ...(req.query as Json), ...((req.body as Json | undefined) ?? {}) };
    const jsonBody = req.is('application/json');
    const payload: Json = jsonBody ? raw : Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, fromText(v)]));
    const uploads = new Map((req.files as Express.Multer.File[] | undefined)?.map((f) => [f.fieldname, f.buffer]));
    const chatId =
      payload.chat_id !== undefined
        ? asText(payload.chat_id)
        : payload.callback_query_id !== undefined
          ? state.callbackQueries.get(asText(payload.callback_query_id))
          : undefined;
    const recorded = handler ? { method, payload, at: new Date().toISOString(), chatId } : undefined;

    const fault = faults.take(method);
    if (fault?.mode === 'down') {
      if (recorded) record({ ...recorded, ok: false });
      return req.socket.destroy();
    }
    if (fault?.mode === 'error429' || fault?.mode === 'error500') {
      const error =
        fault.mode === 'error429'
          ? new BotApiError(429, `Too Many Requests: retry after ${fault.retryAfter}`, {
              retry_after: fault.retryAfter,
            })
          : new BotApiError(500, 'Internal Server Error');
      if (recorded) record({ ...recorded, ok: false, errorCode: error.code });
      // The Bot API server repeats retry_after in a Retry-After header.
      if (fault.mode === 'error429') res.set('Retry-After', String(fault.retryAfter));
      return res.status(error.code).json(botError(error.code, error.description, error.parameters));
    }
    if (fault?.mode === 'slow') await timers.sleep(fault.delayMs);

    // `lost`: the call is carried out, then the connection is cut where the answer would have gone.
    const answerLost = fault?.mode === 'lost' ? { answerLost: true } : {};
    try {
      // A user who blocked the bot: whatever the bot does in that chat is refused (callback answers are not).
      if (payload.chat_id !== undefined && state.blocked.has(asText(payload.chat_id))) {
        throw new BotApiError(403, BLOCKED);
      }
      const result = handler ? await handler(payload, uploads) : await getUpdates(payload, res);
      if (recorded) record({ ...recorded, ok: true, ...answerLost });
      if (state.webhook && state.pending.length > 0) void deliverToWebhook(); // e.g. right after setWebhook
      if (fault?.mode === 'lost') return req.socket.destroy();
      if (!res.headersSent && !res.writableEnded) res.json({ ok: true, result });
    } catch (err) {
      const error =
        err instanceof BotApiError ? err : new BotApiError(500, `Internal Server Error: ${(err as Error).message}`);
      if (recorded) record({ ...recorded, ok: false, errorCode: error.code, ...answerLost });
      if (fault?.mode === 'lost') return req.socket.destroy();
      if (!res.headersSent) res.status(error.code).json(botError(error.code, error.description, error.parameters));
    }
  });

  app.use((_req: Request, res: Response) => res.status(404).json(botError(404, 'Not Found')));
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const code = err.status && err.status < 500 ? err.status : 500;
    res.status(code).json(botError(code, code === 400 ? `Bad Request: ${err.message}` : err.message));
  });

  function reset(): void {
    state.reset();
    faults.clear();
    changed();
  }

  const listening = await listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');
  if (state.webhook && state.pending.length > 0) void deliverToWebhook(); // what a previous run left undelivered
  return {
    url: listening.url,
    close: async () => {
      closed = true;
      timers.stop();
      inFlight?.cancel();
      await listening.close();
      stateFile?.close();
    },
    queueUpdate,
    sent: (chatId) => state.calls.filter((c) => chatId === undefined || c.chatId === String(chatId)),
    storeFile,
    reset,
  };
}

function botError(code: number, description: string, parameters?: Json): Json {
  return { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) };
}
