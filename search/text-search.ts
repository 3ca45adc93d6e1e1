import { Prisma, type PrismaClient } from '../db/client';
import { russianFlowerName } from './flower-names';
import { hasLatin, latinToCyrillic } from './transliterate';

export interface TextSearchQuery {
  search?: string;
  limit: number;
  offset: number;
  minPriceKopecks?: number;
  maxPriceKopecks?: number;
  /** Only products that can be ordered (the bot); the API lists unavailable ones last instead. */
  availableOnly?: boolean;
}

/** Matching product ids in rank order (available first), and how many match in all. */
export interface TextSearchPage {
  ids: number[];
  total: number;
}

export interface TextSearch {
  search(query: TextSearchQuery): Promise<TextSearchPage>;
}

/** word_similarity at or above this counts as a typo of a catalog word ("эустамы" ~ "эустомы" is 0.6). */
const TYPO_SIMILARITY = 0.5;
const MAX_TOKENS = 8;
/** Shorter queries share too many trigrams with unrelated words ("роз" ~ "ромашки"); they rely on prefixes. */
const TYPO_MIN_LENGTH = 5;

/**
 * Words of the query, each with its other readings: Cyrillic when typed in Latin ("roza" → "роза"), the Russian
 * catalog word of a Kazakh or English flower name ("раушан", "tulips" → "тюльпан"). The last reading is the best.
 */
export function queryTokens(search: string): string[][] {
  const words = search.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .filter((w) => w.length >= 2 || /\d/.test(w))
    .slice(0, MAX_TOKENS)
    .map((w) => {
      const readings = hasLatin(w) ? [w, latinToCyrillic(w)] : [w];
      const russian = russianFlowerName(w);
      return russian ? [...readings, russian] : readings;
    });
}

/**
 * PostgreSQL full-text search over "searchVector" (kept by a trigger: russian stems + simple words, so Kazakh
 * words match by prefix) plus pg_trgm word similarity for typos. Without pg_trgm it still answers, warning once.
 */
export function createTextSearch(prisma: PrismaClient, warn: (message: string) => void = console.warn): TextSearch {
  let trigrams: Promise<boolean> | undefined;
  const hasTrigrams = () =>
    (trigrams ??= prisma.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok FROM pg_extension WHERE extname = 'pg_trgm'`.then(
      (rows) => {
        if (!rows.length) warn('search: pg_trgm is not installed; product search runs without typo tolerance');
        return rows.length > 0;
      },
    ));

  return {
    async search(query) {
      const priceFilter = Prisma.sql`${query.minPriceKopecks === undefined ? Prisma.empty : Prisma.sql`AND p."priceKopecks" >= ${query.minPriceKopecks}`}
        ${query.maxPriceKopecks === undefined ? Prisma.empty : Prisma.sql`AND p."priceKopecks" <= ${query.maxPriceKopecks}`}
        ${query.availableOnly ? Prisma.sql`AND p.available` : Prisma.empty}`;
      const tokens = queryTokens(query.search ?? '');
      if (!tokens.length) return { ids: [], total: 0 };
      const text = tokens.map((alternatives) => alternatives[alternatives.length - 1]).join(' ');
      const tsquery = Prisma.join(
        tokens.map(
          (alternatives) =>
            Prisma.sql`(${Prisma.join(
              alternatives.map(
                (word) => Prisma.sql`to_tsquery('russian', ${word}) || to_tsquery('simple', ${`${word}:*`})`,
              ),
              ' || ',
            )})`,
        ),
        ' && ',
      );
      const typo =
        (await hasTrigrams()) && text.replace(/\s/g, '').length >= TYPO_MIN_LENGTH
          ? Prisma.sql`word_similarity(${text}::text, p."searchText")`
          : Prisma.sql`0::real`;
      const rows = await prisma.$queryRaw<{ id: number; total: bigint }[]>`
        WITH q AS (SELECT (${tsquery}) AS tsq)
        SELECT p.id, count(*) OVER () AS total
        FROM "Product" p, q
        WHERE (p."searchVector" @@ q.tsq OR ${typo} >= ${TYPO_SIMILARITY}) ${priceFilter}
        ORDER BY p.available DESC, ts_rank(p."searchVector", q.tsq) + ${typo} DESC, p.id
        LIMIT ${query.limit} OFFSET ${query.offset}`;
      if (rows.length) return { ids: rows.map((r) => r.id), total: Number(rows[0].total) };
      if (query.offset === 0) return { ids: [], total: 0 };
      // Paged past the end: count separately.
      const [{ total }] = await prisma.$queryRaw<{ total: bigint }[]>`
        WITH q AS (SELECT (${tsquery}) AS tsq)
        SELECT count(*) AS total FROM "Product" p, q
        WHERE (p."searchVector" @@ q.tsq OR ${typo} >= ${TYPO_SIMILARITY}) ${priceFilter}`;
      return { ids: [], total: Number(total) };
    },
  };
}
