/**
 * The entities Telegram finds in plain text by itself: mentions, bot commands, hashtags, cashtags, URLs and
 * e-mails (the rules of TDLib's MessageEntity.cpp, which the Bot API server runs), plus phone numbers in what
 * users send (the server marks `+` numbers; TDLib itself does not, so the bot's own texts get none). Offsets and
 * lengths are UTF-16 code units, which is what JavaScript string indices already are.
 */

export interface MessageEntity {
  /** mention, bot_command, hashtag, cashtag, url, email, phone_number; or any type a sender gave. */
  type: string;
  offset: number;
  length: number;
  [extra: string]: unknown;
}

const WORD = /[\p{L}\p{N}_]/u;
const HASHTAG_LETTER = /[\p{L}\p{Nd}_\u200c\u00b7\u0d80-\u0dff]/u;
const SHORT_USERNAMES = new Set(['gif', 'vid', 'pic']);

/** The code point before `index` and the one at `index`, as strings ('' at the edges). */
const before = (text: string, index: number): string => {
  if (index <= 0) return '';
  const low = text.charCodeAt(index - 1);
  return low >= 0xdc00 && low <= 0xdfff && index >= 2 ? text.slice(index - 2, index) : text[index - 1];
};
const at = (text: string, index: number): string =>
  index < text.length ? String.fromCodePoint(text.codePointAt(index)!) : '';

function* matches(text: string, pattern: RegExp): Generator<RegExpExecArray> {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    yield m;
    if (m[0] === '') re.lastIndex += 1;
  }
}

function mentions(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (const m of matches(text, /@([A-Za-z0-9_]*)/u)) {
    const name = m[1];
    if (WORD.test(before(text, m.index)) || name.length < 2 || name.length > 32) continue;
    if (WORD.test(at(text, m.index + m[0].length))) continue;
    if (name.length < 4 && !SHORT_USERNAMES.has(name.toLowerCase())) continue;
    found.push({ type: 'mention', offset: m.index, length: m[0].length });
  }
  return found;
}

function botCommands(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  const edge = (ch: string) => WORD.test(ch) || ch === '/' || ch === '<' || ch === '>';
  for (const m of matches(text, /\/([A-Za-z0-9_]*)(?:@([A-Za-z0-9_]*))?/u)) {
    const [all, command, bot] = m;
    if (edge(before(text, m.index)) || command.length < 1 || command.length > 64) continue;
    if (bot !== undefined && (bot.length < 3 || bot.length > 32)) continue;
    if (edge(at(text, m.index + all.length))) continue;
    found.push({ type: 'bot_command', offset: m.index, length: all.length });
  }
  return found;
}

function hashtags(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (const m of matches(text, /#((?:[\p{L}\p{Nd}_\u200c\u00b7\u0d80-\u0dff])*)/u)) {
    if (HASHTAG_LETTER.test(before(text, m.index)) || m[1] === '') continue;
    if (at(text, m.index + m[0].length) === '#' || !/\p{L}/u.test(m[1])) continue;
    const tag = [...m[1]].slice(0, 256).join(''); // longer tags are cut at 256 characters
    found.push({ type: 'hashtag', offset: m.index, length: 1 + tag.length });
  }
  return found;
}

function cashtags(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (const m of matches(text, /\$(1INCH|[A-Z]*)/u)) {
    const prev = before(text, m.index);
    const next = at(text, m.index + m[0].length);
    if (HASHTAG_LETTER.test(prev) || prev === '$' || m[1].length < 1 || m[1].length > 8) continue;
    if (HASHTAG_LETTER.test(next) || next === '$') continue;
    found.push({ type: 'cashtag', offset: m.index, length: m[0].length });
  }
  return found;
}

/** Top-level domains a bare domain (no http://) must end with to count as a link; a short list of common ones. */
const COMMON_TLDS = new Set(
  (
    'com net org info biz name pro edu gov mil int io me co tv cc ai app dev xyz online site store shop tech ' +
    'ru su kz uz kg tj tm by ua am az ge md tr cn jp kr in de fr it es nl pl cz uk eu us ca au ch at se no fi ' +
    'рф қаз рус бел укр'
  ).split(' '),
);

const HOST = String.raw`(?:[\p{L}\p{N}_~-]+\.)+[\p{L}\p{N}_~-]+`;
const URL_CANDIDATE = new RegExp(
  String.raw`(?:(https?|ftp):\/\/)?(?:([\p{L}\p{N}_.+-]+)@)?(${HOST})(?::(\d{1,5}))?([/?#][^\s<>"«»]*)?`,
  'giu',
);

/** TDLib's is_email_address: ASCII user parts and labels, a 2–8 letter top-level domain. */
function isEmail(user: string, host: string): boolean {
  const userParts = user.split(/[.+]/);
  if (userParts.length > 11 || userParts.some((p) => p.length > 26 || !/^[A-Za-z0-9_-]*$/.test(p))) return false;
  const last = userParts.at(-1)!;
  if (last.length === 0 || last.length > 35) return false;
  const labels = host.split('.');
  if (labels.length < 2 || labels.length > 7 || !/^[A-Za-z]{2,8}$/.test(labels.at(-1)!)) return false;
  return labels.slice(0, -1).every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,28}[A-Za-z0-9])?$/.test(l));
}

/** TDLib's fix_url checks on the host: an IPv4 address, or labels ending with a plausible top-level domain. */
function isLinkHost(host: string, withProtocol: boolean): boolean {
  const labels = host.split('.');
  if (labels.some((l) => l === '')) return false;
  if (labels.length === 4 && labels.every((l) => /^(0|[1-9]\d{0,2})$/.test(l) && Number(l) < 256)) return true;
  if (!/[^\d.]/.test(host)) return false;
  const tld = labels.at(-1)!;
  if ([...tld].length < 2 || /[_-]/.test(tld)) return false;
  if (!withProtocol && !COMMON_TLDS.has(tld.toLowerCase())) return false;
  return !labels.at(-2)!.includes('_');
}

function urlsAndEmails(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (const m of matches(text, URL_CANDIDATE)) {
    const [, protocol, user, host, port, rawPath] = m;
    const prev = before(text, m.index);
    if (WORD.test(prev) || ['/', '#', '@', '.', '-', '~'].includes(prev)) continue;
    if (user !== undefined && !protocol) {
      if (port === undefined && rawPath === undefined && isEmail(user, host)) {
        found.push({ type: 'email', offset: m.index, length: m[0].length });
      }
      continue;
    }
    if (!isLinkHost(host, protocol !== undefined)) continue;
    if (port !== undefined && Number(port) > 65535) continue;
    // A path loses trailing punctuation; a lone "?" or "#" is not part of the link.
    let path = (rawPath ?? '').replace(/[.:;,('?!`]+$/u, '');
    if (path.length === 1 && path !== '/') path = '';
    const length = m[0].length - (rawPath ?? '').length + path.length;
    found.push({ type: 'url', offset: m.index, length });
  }
  return found;
}

function phoneNumbers(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (const m of matches(text, /\+\d(?:[ ()-]{0,2}\d){9,14}/u)) {
    if (WORD.test(before(text, m.index)) || /[\p{L}\p{N}_]/u.test(at(text, m.index + m[0].length))) continue;
    found.push({ type: 'phone_number', offset: m.index, length: m[0].length });
  }
  return found;
}

/** Sorted by offset (longer first on a tie); an entity overlapping an earlier one is dropped, as TDLib does. */
function withoutOverlaps(entities: MessageEntity[]): MessageEntity[] {
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const kept: MessageEntity[] = [];
  let end = 0;
  for (const entity of sorted) {
    if (entity.offset < end) continue;
    kept.push(entity);
    end = entity.offset + entity.length;
  }
  return kept;
}

/** The entities Telegram adds to `text` by itself; `phones` for what users send. */
export function findEntities(text: string, options: { phones?: boolean } = {}): MessageEntity[] {
  return withoutOverlaps([
    ...mentions(text),
    ...botCommands(text),
    ...hashtags(text),
    ...cashtags(text),
    ...urlsAndEmails(text),
    ...(options.phones ? phoneNumbers(text) : []),
  ]);
}

/** Entities the sender gave, with those Telegram finds where the sender's leave room (as merge_entities does). */
export function mergeEntities(
  given: MessageEntity[],
  text: string,
  options: { phones?: boolean } = {},
): MessageEntity[] {
  const overlaps = (a: MessageEntity, b: MessageEntity) =>
    a.offset < b.offset + b.length && b.offset < a.offset + a.length;
  const found = findEntities(text, options).filter((f) => !given.some((g) => overlaps(f, g)));
  return [...given, ...found].sort((a, b) => a.offset - b.offset || b.length - a.length);
}
