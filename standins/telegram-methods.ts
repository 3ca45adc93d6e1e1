import got from 'got';
import { mergeEntities, MessageEntity } from './telegram-entities';
import { asText, badRequest, Json, PhotoSize, TelegramState } from './telegram-state';

/**
 * The Bot API methods a grammY bot calls, answering the result objects Telegram would (Message, File, true)
 * and refusing what Telegram refuses (long texts, unknown messages, unmodified edits, bad file ids).
 */
export type MethodHandler = (payload: Json, uploads: Map<string, Buffer>) => Promise<unknown>;

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message';

/** Telegram stores the text without HTML markup; limits apply to what remains. */
function visibleText(text: string, parseMode: unknown): string {
  if (parseMode !== 'HTML') return text;
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function requireText(payload: Json, field: 'text' | 'caption'): string | undefined {
  const raw = payload[field];
  if (raw === undefined || raw === null) {
    if (field === 'text') throw badRequest('message text is empty');
    return undefined;
  }
  const text = visibleText(asText(raw), payload.parse_mode);
  if (field === 'text' && text.trim() === '') throw badRequest('message text is empty');
  if (field === 'text' && text.length > TEXT_LIMIT) throw badRequest('message is too long');
  if (field === 'caption' && text.length > CAPTION_LIMIT) throw badRequest('message caption is too long');
  return text;
}

/**
 * The text as Telegram keeps it, with the entities it finds by itself added to those the bot gave. Markup
 * entities of parse_mode are not rebuilt: HTML texts get only the found ones, Markdown texts none.
 */
function textContent(payload: Json, field: 'text' | 'caption'): Json {
  const text = requireText(payload, field);
  if (text === undefined) return {};
  const entitiesField = field === 'text' ? 'entities' : 'caption_entities';
  const given = Array.isArray(payload[entitiesField]) ? (payload[entitiesField] as MessageEntity[]) : [];
  const markdown = payload.parse_mode !== undefined && payload.parse_mode !== 'HTML';
  const entities = markdown ? given : mergeEntities(given, text);
  return { [field]: text, ...(entities.length > 0 ? { [entitiesField]: entities } : {}) };
}

const inlineMarkup = (markup: unknown): Json | undefined =>
  markup && typeof markup === 'object' && 'inline_keyboard' in markup ? markup : undefined;

const isLoopback = (url: string): boolean => /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(url);

export function createBotMethods(state: TelegramState, bot: Json): Record<string, MethodHandler> {
  const now = () => Math.floor(Date.now() / 1000);

  function chatIdOf(payload: Json): string {
    if (payload.chat_id === undefined || payload.chat_id === '') throw badRequest('chat_id is empty');
    return asText(payload.chat_id);
  }

  function newMessage(payload: Json, content: Json): Json {
    const chatId = chatIdOf(payload);
    const message: Json = {
      message_id: state.takeMessageId(chatId),
      from: { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username },
      chat: state.chatFor(payload.chat_id),
      date: now(),
      ...content,
    };
    const markup = inlineMarkup(payload.reply_markup);
    if (markup) message.reply_markup = markup;
    state.messages.set(state.messageKey(chatId, message.message_id), message);
    return message;
  }

  function storedMessage(payload: Json, missing: string): Json {
    const message = state.messages.get(state.messageKey(chatIdOf(payload), payload.message_id));
    if (!message) throw badRequest(missing);
    return message;
  }

  /** A photo given as an uploaded file (attach://name), an HTTP URL or a file_id. */
  async function photoSizes(input: unknown, uploads: Map<string, Buffer>): Promise<PhotoSize[]> {
    const attached =
      typeof input === 'string' && input.startsWith('attach://') ? uploads.get(input.slice(9)) : undefined;
    if (attached) return state.photoSizes(await state.storeImage(attached));
    if (typeof input !== 'string' || input === '') throw badRequest('there is no photo in the request');
    if (/^https?:\/\//.test(input)) {
      // Telegram fetches the URL; local stand-in URLs are fetched for real, others (unreachable here) are assumed fine.
      if (!isLoopback(input)) return state.photoSizes(state.storeFile(null, 'jpeg', 800, 800));
      const body = await got(input, { responseType: 'buffer', timeout: 3_000, retry: 0 })
        .then((res) => res.body)
        .catch(() => {
          throw badRequest('failed to get HTTP URL content');
        });
      const file = await state.storeImage(body).catch(() => {
        throw badRequest('wrong type of the web page content');
      });
      return state.photoSizes(file);
    }
    const known = state.files.get(input);
    if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
    return state.photoSizes(known);
  }

  const sendPhoto: MethodHandler = async (payload, uploads) => {
    chatIdOf(payload);
    const caption = textContent(payload, 'caption');
    const photo = await photoSizes(payload.photo ?? (uploads.has('photo') ? 'attach://photo' : undefined), uploads);
    return newMessage(payload, { photo, ...caption });
  };

  /** An edit replaces the inline keyboard, or removes it when none is given (as Telegram does). */
  const setMarkup = (next: Json, payload: Json): void => {
    const markup = inlineMarkup(payload.reply_markup);
    if (markup) next.reply_markup = markup;
    else delete next.reply_markup;
  };

  const editMessage =
    (field: 'text' | 'caption' | 'reply_markup'): MethodHandler =>
    async (payload) => {
      if (payload.inline_message_id !== undefined) return true;
      const message = storedMessage(payload, 'message to edit not found');
      const next: Json = { ...message, edit_date: now() };
      if (field === 'text') {
        if (message.text === undefined) throw badRequest('there is no text in the message to edit');
        delete next.entities;
        Object.assign(next, textContent(payload, 'text'));
      }
      if (field === 'caption') {
        if (message.photo === undefined) throw badRequest('there is no caption in the message to edit');
        delete next.caption;
        delete next.caption_entities;
        Object.assign(next, textContent(payload, 'caption'));
      }
      setMarkup(next, payload);
      const same = (key: string) => JSON.stringify(message[key]) === JSON.stringify(next[key]);
      if (['text', 'entities', 'caption', 'caption_entities', 'reply_markup'].every(same)) {
        throw badRequest(NOT_MODIFIED);
      }
      state.messages.set(state.messageKey(payload.chat_id, payload.message_id), next);
      return next;
    };

  /** Replaces a photo message's photo and caption (a photo only: the bot sends no other media). */
  const editMessageMedia: MethodHandler = async (payload, uploads) => {
    if (payload.inline_message_id !== undefined) return true;
    const message = storedMessage(payload, 'message to edit not found');
    const media = (typeof payload.media === 'string' ? JSON.parse(payload.media) : payload.media) as Json | undefined;
    if (!media || media.type !== 'photo') throw badRequest('wrong type of the media: only photo is supported here');
    if (message.photo === undefined) throw badRequest('there is no media in the message to edit');
    const next: Json = { ...message, edit_date: now(), photo: await photoSizes(media.media, uploads) };
    delete next.caption;
    delete next.caption_entities;
    Object.assign(next, textContent(media, 'caption'));
    setMarkup(next, payload);
    state.messages.set(state.messageKey(payload.chat_id, payload.message_id), next);
    return next;
  };

  return {
    getMe: async () => bot,
    editMessageMedia,
    sendMessage: async (payload) => newMessage(payload, textContent(payload, 'text')),
    sendPhoto,
    sendMediaGroup: async (payload, uploads) => {
      const media = Array.isArray(payload.media) ? (payload.media as Json[]) : [];
      if (media.length < 2 || media.length > 10) throw badRequest('wrong number of media in the album');
      const group = String(Date.now());
      const messages = [];
      for (const item of media) {
        const photo = await photoSizes(item.media, uploads);
        const caption = textContent(item, 'caption');
        messages.push(
          newMessage({ ...payload, reply_markup: undefined }, { media_group_id: group, photo, ...caption }),
        );
      }
      return messages;
    },
    editMessageText: editMessage('text'),
    editMessageCaption: editMessage('caption'),
    editMessageReplyMarkup: editMessage('reply_markup'),
    deleteMessage: async (payload) => {
      storedMessage(payload, 'message to delete not found');
      state.messages.delete(state.messageKey(payload.chat_id, payload.message_id));
      return true;
    },
    answerCallbackQuery: async (payload) => {
      if (!state.callbackQueries.has(asText(payload.callback_query_id))) {
        throw badRequest('query is too old and response timeout expired or query ID is invalid');
      }
      return true;
    },
    sendChatAction: async (payload) => {
      chatIdOf(payload);
      if (!payload.action) throw badRequest('wrong parameter action in request');
      return true;
    },
    getFile: async (payload) => {
      const file = state.files.get(asText(payload.file_id));
      if (!file) throw badRequest('invalid file_id');
      const size = file.bytes?.length ?? 0;
      return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: size, file_path: file.filePath };
    },
    setMyCommands: async (payload) => {
      if (!Array.isArray(payload.commands)) throw badRequest('parameter "commands" is required');
      state.commands = payload.commands;
      return true;
    },
    getMyCommands: async () => state.commands,
    deleteMyCommands: async () => {
      state.commands = [];
      return true;
    },
    setMyDescription: async () => true,
    setMyShortDescription: async () => true,
    setChatMenuButton: async () => true,
    setWebhook: async (payload) => {
      const url = asText(payload.url ?? '');
      if (url === '') {
        state.webhook = null;
        return true;
      }
      if (!/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      state.webhook = { url, secretToken: payload.secret_token ? asText(payload.secret_token) : undefined };
      if (payload.drop_pending_updates === true || payload.drop_pending_updates === 'true') state.pending = [];
      return true;
    },
    deleteWebhook: async (payload) => {
      state.webhook = null;
      if (payload.drop_pending_updates === true || payload.drop_pending_updates === 'true') state.pending = [];
      return true;
    },
    getWebhookInfo: async () => ({
      url: state.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: state.pending.length,
      ...(state.webhook?.lastError
        ? { last_error_date: state.webhook.lastErrorAt, last_error_message: state.webhook.lastError }
        : {}),
    }),
    close: async () => true,
    logOut: async () => true,
  };
}
