/**
 * Flower and colour names customers type in Kazakh or in English/Latin, read as the Russian catalog word
 * ("раушандар" → "роза", "tulips" → "тюльпан"). Keys of 4+ letters also match as prefixes (Kazakh and
 * English inflect by endings); shorter ones only whole.
 */
const NAMES: Record<string, string> = {
  // Kazakh
  раушан: 'роза',
  қызғалдақ: 'тюльпан',
  түймедақ: 'ромашка',
  қалампыр: 'гвоздика',
  күнбағыс: 'подсолнух',
  лалагүл: 'лилия',
  сүмбіл: 'гиацинт',
  құртқашаш: 'ирис',
  қырмызы: 'красный',
  ақ: 'белый',
  қызыл: 'красный',
  сары: 'желтый',
  көк: 'синий',
  қызғылт: 'розовый',
  күлгін: 'фиолетовый',
  // English and Latin
  rose: 'роза',
  rosa: 'роза',
  tulip: 'тюльпан',
  tulipa: 'тюльпан',
  peon: 'пион',
  paeonia: 'пион',
  lily: 'лилия',
  lili: 'лилия',
  lilium: 'лилия',
  daisy: 'ромашка',
  daisies: 'ромашка',
  chamomile: 'ромашка',
  chrysanthem: 'хризантема',
  hydrangea: 'гортензия',
  hortensia: 'гортензия',
  orchid: 'орхидея',
  phalaenopsis: 'фаленопсис',
  sunflower: 'подсолнух',
  helianthus: 'подсолнух',
  carnation: 'гвоздика',
  dianthus: 'гвоздика',
  lavender: 'лаванда',
  lavandula: 'лаванда',
  eustoma: 'эустома',
  lisianth: 'эустома',
  alstroemeria: 'альстромерия',
  calla: 'калла',
  gerbera: 'гербера',
  eucalyptus: 'эвкалипт',
  white: 'белый',
  red: 'красный',
  pink: 'розовый',
  yellow: 'желтый',
  blue: 'синий',
};

const PREFIX_KEYS = Object.keys(NAMES)
  .filter((k) => k.length >= 4)
  .sort((a, b) => b.length - a.length);

/** The Russian catalog word for a Kazakh or Latin flower (or colour) name, if it is one. */
export function russianFlowerName(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (NAMES[lower]) return NAMES[lower];
  const key = PREFIX_KEYS.find((k) => lower.startsWith(k));
  return key ? NAMES[key] : undefined;
}
