import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors';
import type { ApiSettings } from './settings';

/**
 * Who may do what: the one place the API decides it (the table is in docs/security.md and the README).
 * - public: no credentials;
 * - trusted: a Bearer API key (back-office scripts, the bot over HTTP);
 * - telegram: a Telegram user proven by a Mini App's signed `initData` (`Authorization: tma <initData>`).
 */
export type Caller = { kind: 'public' } | { kind: 'trusted'; keyId: string } | { kind: 'telegram'; userId: number };

export type Action =
  | 'readCatalog'
  | 'searchByPhoto'
  | 'placeOrder'
  | 'attachTelegramIdentity'
  | 'readOrderMasked'
  | 'readOrderFull'
  | 'cancelOrder'
  | 'readSlots'
  | 'overrideSlotCapacity';

/** What each kind of caller may do; `own` = only for its own Telegram identity, `proof` = with the customer's phone. */
export const ACCESS: Record<Action, Record<Caller['kind'], 'yes' | 'own' | 'proof' | 'no'>> = {
  readCatalog: { public: 'yes', telegram: 'yes', trusted: 'yes' },
  searchByPhoto: { public: 'yes', telegram: 'yes', trusted: 'yes' },
  placeOrder: { public: 'yes', telegram: 'yes', trusted: 'yes' },
  attachTelegramIdentity: { public: 'no', telegram: 'own', trusted: 'yes' },
  readOrderMasked: { public: 'yes', telegram: 'yes', trusted: 'yes' },
  readOrderFull: { public: 'no', telegram: 'own', trusted: 'yes' },
  cancelOrder: { public: 'proof', telegram: 'own', trusted: 'yes' },
  readSlots: { public: 'yes', telegram: 'yes', trusted: 'yes' },
  overrideSlotCapacity: { public: 'no', telegram: 'no', trusted: 'yes' },
};

/** What the rule needs to know about the order in question. */
export interface Subject {
  /** The Telegram user the order belongs to, if any. */
  ownerTelegramUserId?: number;
  /** The caller showed the customer's phone. */
  provedPhone?: boolean;
}

export function allowed(caller: Caller, action: Action, subject: Subject = {}): boolean {
  const rule = ACCESS[action][caller.kind];
  if (rule === 'yes') return true;
  if (rule === 'own') return caller.kind === 'telegram' && subject.ownerTelegramUserId === caller.userId;
  if (rule === 'proof') return subject.provedPhone === true;
  return false;
}

export function requireAllowed(caller: Caller, action: Action, subject?: Subject): void {
  if (!allowed(caller, action, subject)) throw new HttpError(403, 'forbidden', FORBIDDEN[action]);
}

const FORBIDDEN: Record<Action, string> = {
  readCatalog: 'Not allowed',
  searchByPhoto: 'Not allowed',
  placeOrder: 'Not allowed',
  attachTelegramIdentity:
    'customer.telegramUserId and customer.telegramChatId need an API key, or Telegram initData of that same user',
  readOrderMasked: 'Not allowed',
  readOrderFull: 'The full view needs an API key or the Telegram initData of the customer',
  cancelOrder:
    "Cancelling needs proof: the customer's phone in the body, the customer's Telegram initData or an API key",
  readSlots: 'Not allowed',
  overrideSlotCapacity: 'Changing a slot capacity needs an API key',
};

export const callerOf = (res: Response): Caller => (res.locals.caller as Caller | undefined) ?? { kind: 'public' };

/**
 * Reads the credentials of every request. Wrong credentials are never treated as none: they are kept in
 * `res.locals.authError` and answered 401 once the per-address limit has counted the request (api/app.ts).
 */
export function identifyCaller(
  settings: Pick<ApiSettings, 'apiKeys' | 'telegramBotToken' | 'telegramInitDataMaxAgeMs'>,
) {
  const keyDigests = settings.apiKeys.map((key) => ({ digest: sha256(key), keyId: sha256(key).toString('hex', 0, 4) }));
  return (req: Request, res: Response, next: NextFunction): void => {
    const refuse = (message: string) => {
      res.locals.authError = new HttpError(401, 'unauthorized', message);
      next();
    };
    const header = req.header('Authorization');
    if (!header) return next();
    const [scheme, ...rest] = header.trim().split(' ');
    const credential = rest.join(' ').trim();
    if (/^bearer$/i.test(scheme)) {
      // Every key is compared, in constant time, whatever matches.
      const given = sha256(credential);
      let keyId: string | undefined;
      for (const key of keyDigests) if (timingSafeEqual(given, key.digest)) keyId = key.keyId;
      if (!keyId) return refuse('Unknown API key');
      res.locals.caller = { kind: 'trusted', keyId } satisfies Caller;
      return next();
    }
    if (/^tma$/i.test(scheme)) {
      if (!settings.telegramBotToken) return refuse('Telegram initData is not accepted here');
      const checked = checkInitData(credential, settings.telegramBotToken, settings.telegramInitDataMaxAgeMs);
      if (!checked.ok) return refuse(`Telegram initData: ${checked.reason}`);
      res.locals.caller = { kind: 'telegram', userId: checked.userId } satisfies Caller;
      return next();
    }
    refuse('Authorization must be "Bearer <API key>" or "tma <Telegram initData>"');
  };
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Telegram's Mini App check: HMAC-SHA256 of the sorted `key=value` lines (all fields but `hash`) with the key
 * HMAC-SHA256("WebAppData", bot token), and `auth_date` no older than `maxAgeMs`.
 */
export function checkInitData(
  initData: string,
  botToken: string,
  maxAgeMs: number,
  now = Date.now(),
): { ok: true; userId: number } | { ok: false; reason: string } {
  const params = new URLSearchParams(initData);
  const hash = params.get('hash');
  if (!hash || !/^[0-9a-f]{64}$/i.test(hash)) return { ok: false, reason: 'no hash' };
  const lines = [...params.entries()]
    .filter(([key]) => key !== 'hash')
    .map(([key, value]) => `${key}=${value}`)
    .sort();
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(lines.join('\n')).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'wrong signature' };
  const authDate = Number(params.get('auth_date'));
  if (!Number.isSafeInteger(authDate)) return { ok: false, reason: 'no auth_date' };
  if (now - authDate * 1000 > maxAgeMs) return { ok: false, reason: 'expired' };
  let userId: unknown;
  try {
    userId = (JSON.parse(params.get('user') ?? 'null') as { id?: unknown } | null)?.id;
  } catch {
    return { ok: false, reason: 'unreadable user' };
  }
  if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || userId <= 0)
    return { ok: false, reason: 'no user' };
  return { ok: true, userId };
}

/** Signs initData as Telegram does (tests and local tools only: Telegram signs the real ones). */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const lines = Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .sort();
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(lines.join('\n')).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}
