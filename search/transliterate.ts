/** Latin spellings customers type for Russian words ("roza", "piony", "tyulpan") → Cyrillic. Longest first. */
const DIGRAPHS: [string, string][] = [
  ['shch', 'щ'],
  ['sch', 'щ'],
  ['yo', 'ё'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['ye', 'е'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ts', 'ц'],
  ['ch', 'ч'],
  ['sh', 'ш'],
];
const LETTERS: Record<string, string> = {
  a: 'а',
  b: 'б',
  c: 'к',
  d: 'д',
  e: 'е',
  f: 'ф',
  g: 'г',
  h: 'х',
  i: 'и',
  j: 'ж',
  k: 'к',
  l: 'л',
  m: 'м',
  n: 'н',
  o: 'о',
  p: 'п',
  q: 'к',
  r: 'р',
  s: 'с',
  t: 'т',
  u: 'у',
  v: 'в',
  w: 'в',
  x: 'кс',
  y: 'ы',
  z: 'з',
};

export const hasLatin = (text: string): boolean => /[a-z]/i.test(text);

/** "pion" → "пион", "roza" → "роза"; other characters are kept. */
export function latinToCyrillic(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length;) {
    const digraph = DIGRAPHS.find(([latin]) => lower.startsWith(latin, i));
    if (digraph) {
      out += digraph[1];
      i += digraph[0].length;
      continue;
    }
    out += LETTERS[lower[i]] ?? lower[i];
    i += 1;
  }
  // A soft sign is never typed in Latin; "-iy"/"-yy" endings are "-ий"/"-ый".
  return out.replace(/ии\b/g, 'ий').replace(/ыы\b/g, 'ый');
}
