import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { SavedState } from './state-file';

/** What the Telegram stand-in remembers: queued updates, chats, the bot's messages, files and every call made. */

export type Json = Record<string, unknown>;

/** A Bot API failure: `{"ok":false,"error_code","description","parameters"?}`. */
export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Json,
  ) {
    super(description);
  }
}
/** A payload value as text (Bot API values are strings or numbers; anything else is shown as JSON). */
export const asText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? `${value}`
      : (JSON.stringify(value) ?? '');

export const badRequest = (what: string): BotApiError => new BotApiError(400, `Bad Request: ${what}`);

export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  bytes: Buffer | null;
  mime: string;
  width: number;
  height: number;
  filePath: string;
  /** Stored through `POST /__control/files`: a photo a user sends, which the bot downloads. */
  fromUser?: boolean;
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

export interface RecordedCall {
  method: string;
  payload: Json;
  at: string;
  chatId?: string;
  ok: boolean;
  errorCode?: number;
  /** The call was carried out but its answer never reached the bot (the `lost` fault). */
  answerLost?: boolean;
}

const EXTENSIONS: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif' };

/** What a state file keeps: everything but the bytes of large files and the oldest recorded calls. */
export interface TelegramSnapshot {
  version: 1;
  nextUpdateId: number;
  fileCounter: number;
  messageIds: [string, number][];
  pending: Json[];
  chats: [string, Json][];
  messages: [string, Json][];
  files: (Omit<StoredFile, 'bytes'> & { bytes: string | null })[];
  callbackQueries: [string, string | undefined][];
  calls: RecordedCall[];
  commands: unknown[];
  webhook: TelegramState['webhook'];
  blocked?: string[];
}

type SavedFile = TelegramSnapshot['files'][number];

/**
 * One journal entry (standins/state-file.ts): the small parts whole, of the keyed ones the entries changed since the
 * last (null: deleted), the calls recorded since; applying it twice is harmless.
 */
export interface TelegramChange {
  /** Everything cleared (ids keep counting), before the rest of the entry. */
  reset?: true;
  nextUpdateId: number;
  fileCounter: number;
  pending: Json[];
  commands: unknown[];
  webhook: TelegramState['webhook'];
  blocked: string[];
  chats?: [string, Json | null][];
  messages?: [string, Json | null][];
  files?: [string, SavedFile | null][];
  callbackQueries?: [string, string | undefined | null][];
  messageIds?: [string, number | null][];
  calls?: RecordedCall[];
}

/** A Map that remembers which keys changed since the last `takeChanged()`. */
class TrackedMap<K, V> extends Map<K, V> {
  private changedKeys?: Set<K>;

  override set(key: K, value: V): this {
    (this.changedKeys ??= new Set()).add(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    (this.changedKeys ??= new Set()).add(key);
    return super.delete(key);
  }

  override clear(): void {
    this.changedKeys = undefined;
    super.clear();
  }

  /** The changed entries (null: deleted), mapped by `save`; undefined when none changed. */
  takeChanged<T>(save: (value: V) => T = (v) => v as unknown as T): [K, T | null][] | undefined {
    const keys = this.changedKeys;
    this.changedKeys = undefined;
    if (!keys?.size) return undefined;
    return [...keys].map((k) => [k, this.has(k) ? save(this.get(k) as V) : null]);
  }

  /** Applies entries from `takeChanged()`. */
  apply<T>(entries: [K, T | null][] | undefined, load: (saved: T) => V = (t) => t as unknown as V): void {
    for (const [k, v] of entries ?? []) {
      if (v === null) this.delete(k);
      else this.set(k, load(v));
    }
  }
}

/** The state file keeps the bytes (base64) of the latest photos users sent, if not too large; of others only metadata. */
const SAVED_FILE_BYTES = 512 * 1024;
const SAVED_FILES_WITH_BYTES = 20;
const SAVED_CALLS = 5_000;
const SAVED_CALLBACK_QUERIES = 1_000;

export class TelegramState {
  /** Updates not yet confirmed by the bot (getUpdates with a higher offset) or delivered to its webhook. */
  pending: Json[] = [];
  readonly chats = new TrackedMap<string, Json>();
  readonly messages = new TrackedMap<string, Json>();
  readonly files = new TrackedMap<string, StoredFile>();
  readonly callbackQueries = new TrackedMap<string, string | undefined>();
  calls: RecordedCall[] = [];
  /** How many of `calls` the journal has; and whether a reset is yet to be journaled. */
  private callsJournaled = 0;
  private resetPending = false;
  commands: unknown[] = [];
  webhook: { url: string; secretToken?: string; lastError?: string; lastErrorAt?: number } | null = null;
  /** Chats whose user blocked the bot: every call to them is refused with 403. */
  readonly blocked = new Set<string>();
  private nextUpdateId = 815000001;
  private readonly messageIds = new TrackedMap<string, number>();
  private fileCounter = 0;

  reset(): void {
    this.pending = [];
    this.chats.clear();
    this.messages.clear();
    this.files.clear();
    this.callbackQueries.clear();
    this.calls = [];
    this.commands = [];
    this.webhook = null;
    this.messageIds.clear();
    this.blocked.clear();
    this.callsJournaled = 0;
    this.resetPending = true;
  }

  /** What changed since the last call, for the state file's journal (the small parts always whole). */
  takeChanges(): TelegramChange {
    const change: TelegramChange = {
      ...(this.resetPending && { reset: true as const }),
      nextUpdateId: this.nextUpdateId,
      fileCounter: this.fileCounter,
      pending: this.pending,
      commands: this.commands,
      webhook: this.webhook,
      blocked: [...this.blocked],
      chats: this.chats.takeChanged(),
      messages: this.messages.takeChanged(),
      files: this.files.takeChanged((f) => savedFile(f, !!f.fromUser && (f.bytes?.length ?? 0) <= SAVED_FILE_BYTES)),
      callbackQueries: this.callbackQueries.takeChanged(),
      messageIds: this.messageIds.takeChanged(),
      calls: this.calls.length > this.callsJournaled ? this.calls.slice(this.callsJournaled) : undefined,
    };
    this.callsJournaled = this.calls.length;
    this.resetPending = false;
    return change;
  }

  snapshot(): TelegramSnapshot {
    const fromUsers = [...this.files.values()].filter((f) => f.fromUser && (f.bytes?.length ?? 0) <= SAVED_FILE_BYTES);
    const withBytes = new Set(fromUsers.slice(-SAVED_FILES_WITH_BYTES));
    return {
      version: 1,
      nextUpdateId: this.nextUpdateId,
      fileCounter: this.fileCounter,
      messageIds: [...this.messageIds],
      pending: this.pending,
      chats: [...this.chats],
      messages: [...this.messages],
      files: [...this.files.values()].map((f) => savedFile(f, withBytes.has(f))),
      callbackQueries: [...this.callbackQueries].slice(-SAVED_CALLBACK_QUERIES),
      calls: this.calls.slice(-SAVED_CALLS),
      commands: this.commands,
      webhook: this.webhook,
      blocked: [...this.blocked],
    };
  }

  /** Takes over a saved state: the snapshot, then the journal's changes after it. */
  restore(saved: SavedState<TelegramSnapshot, TelegramChange>): void {
    const snapshot = saved.snapshot;
    if (snapshot) {
      this.nextUpdateId = snapshot.nextUpdateId;
      this.fileCounter = snapshot.fileCounter;
      snapshot.messageIds.forEach(([chat, id]) => this.messageIds.set(chat, id));
      this.pending = snapshot.pending;
      snapshot.chats.forEach(([key, chat]) => this.chats.set(key, chat));
      snapshot.messages.forEach(([key, message]) => this.messages.set(key, message));
      snapshot.files.forEach((f) => this.files.set(f.fileId, loadedFile(f)));
      snapshot.callbackQueries.forEach(([id, chat]) => this.callbackQueries.set(id, chat));
      this.calls = snapshot.calls;
      this.commands = snapshot.commands;
      this.webhook = snapshot.webhook;
      snapshot.blocked?.forEach((chat) => this.blocked.add(chat));
    }
    for (const change of saved.changes) {
      if (change.reset) this.reset();
      this.nextUpdateId = Math.max(this.nextUpdateId, change.nextUpdateId);
      this.fileCounter = Math.max(this.fileCounter, change.fileCounter);
      this.pending = change.pending;
      this.commands = change.commands;
      this.webhook = change.webhook;
      this.blocked.clear();
      change.blocked.forEach((chat) => this.blocked.add(chat));
      this.chats.apply(change.chats);
      this.messages.apply(change.messages);
      this.files.apply(change.files, loadedFile);
      this.callbackQueries.apply(change.callbackQueries);
      this.messageIds.apply(change.messageIds);
      this.calls.push(...(change.calls ?? []));
    }
    this.callsJournaled = this.calls.length;
    this.resetPending = false;
  }

  takeUpdateId(wanted?: unknown): number {
    if (typeof wanted === 'number') {
      this.nextUpdateId = Math.max(this.nextUpdateId, wanted + 1);
      return wanted;
    }
    return this.nextUpdateId++;
  }

  /** Message ids run per chat, shared by the user's and the bot's messages, as in a private chat. */
  takeMessageId(chatId: string, wanted?: unknown): number {
    const last = this.messageIds.get(chatId) ?? 0;
    const id = typeof wanted === 'number' ? wanted : last + 1;
    this.messageIds.set(chatId, Math.max(last, id));
    return id;
  }

  lastMessageId(chatId: string): number {
    return this.messageIds.get(chatId) ?? 0;
  }

  chatFor(chatId: unknown): Json {
    const key = asText(chatId);
    const known = this.chats.get(key);
    if (known) return known;
    const numeric = Number(chatId);
    if (!Number.isFinite(numeric)) return { id: key, type: 'channel', username: key.replace(/^@/, '') };
    return { id: numeric, type: numeric > 0 ? 'private' : 'supergroup' };
  }

  messageKey = (chatId: unknown, messageId: unknown): string => `${asText(chatId)}:${asText(messageId)}`;

  /** Stores image bytes as Telegram would keep an uploaded photo; throws IMAGE_PROCESS_FAILED for non-images. */
  async storeImage(bytes: Buffer): Promise<StoredFile> {
    const meta = await sharp(bytes)
      .metadata()
      .catch(() => undefined);
    if (!meta?.width || !meta.height || !meta.format) throw badRequest('IMAGE_PROCESS_FAILED');
    return this.storeFile(bytes, meta.format, meta.width, meta.height);
  }

  storeFile(bytes: Buffer | null, format: string, width: number, height: number): StoredFile {
    const n = ++this.fileCounter;
    const digest = createHash('sha256')
      .update(bytes ?? `${n}`)
      .digest('base64url');
    const ext = EXTENSIONS[format] ?? format;
    const file: StoredFile = {
      fileId: `AgACAgIAAxkBAAI${n.toString(36).padStart(4, '0')}${digest.slice(0, 40)}`,
      fileUniqueId: `AQAD${digest.slice(40, 52)}`,
      bytes,
      mime: ext === 'jpg' ? 'image/jpeg' : `image/${ext}`,
      width,
      height,
      filePath: `photos/file_${n}.${ext}`,
    };
    this.files.set(file.fileId, file);
    return file;
  }

  photoSize = (file: StoredFile): PhotoSize => ({
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    width: file.width,
    height: file.height,
    file_size: file.bytes?.length ?? 0,
  });

  /** The sizes Telegram keeps of a photo: a thumbnail (90 px side) and the original, smallest first. */
  async photoSizes(original: StoredFile): Promise<PhotoSize[]> {
    if (!original.bytes || Math.max(original.width, original.height) <= 90) return [this.photoSize(original)];
    const thumbBytes = await sharp(original.bytes).resize(90, 90, { fit: 'inside' }).jpeg().toBuffer();
    const meta = await sharp(thumbBytes).metadata();
    const thumb = this.storeFile(thumbBytes, 'jpeg', meta.width ?? 90, meta.height ?? 90);
    return [this.photoSize(thumb), this.photoSize(original)];
  }
}

const savedFile = (f: StoredFile, withBytes: boolean): SavedFile => ({
  ...f,
  bytes: f.bytes && withBytes ? f.bytes.toString('base64') : null,
});

const loadedFile = (f: SavedFile): StoredFile => ({
  ...f,
  bytes: f.bytes === null ? null : Buffer.from(f.bytes, 'base64'),
});
