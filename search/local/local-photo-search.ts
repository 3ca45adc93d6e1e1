import type { PrismaClient } from '../../db/client';
import { checkPhoto } from '../photo-input';
import { DEFAULT_BANDS, InvalidPhotoError, type PhotoBands, type PhotoSearch } from '../photo-search-port';
import { productMatches } from '../product-matches';
import { COLOR_DIMS } from './color';
import { FEATURE_RECIPE, type PhotoFeatures } from './extract';
import { createFeatureWriter } from './feature-writer';
import type { Keypoints, OrbOptions } from './orb';
import { CNN_DIMS, VectorIndex, type IndexedPhoto, type VectorWeights } from './vector-index';
import { PhotoWorkerError, PhotoWorkerPool } from './worker-pool';

export interface LocalEngineSettings {
  workers: number;
  orb: OrbOptions;
  weights: VectorWeights;
  /** The other candidate lists' weightings (the CNN alone: tolerant of colour casts; the whole photo's colour; the
   * query's region against the catalog's whole photo). */
  moreWeights: VectorWeights[];
  /** Photos re-ranked by ORB (the rest of the answer comes from the global vector alone). */
  rerank: number;
  /** RANSAC inliers from which a candidate is the same bouquet; `strongInliers` ends the re-rank early. */
  minInliers: number;
  strongInliers: number;
  /** Global scores mapped onto the similarity scale: `alike` → the similar threshold, `identical` → the exact one. */
  globalScale: { alike: number; identical: number };
  bands: PhotoBands;
  /** How often the in-memory index looks for photos indexed by another process (0: never). */
  refreshMs: number;
  /** Adds `stages` (ms per step) to each answer: for the benchmark. */
  profile?: boolean;
}

/** Calibrated on the stand-in catalog with bench/photo-search.ts (see the report in its output). */
export const DEFAULT_LOCAL_SETTINGS: LocalEngineSettings = {
  workers: 1,
  orb: { maxKeypoints: 300, ratio: 0.8, ransacPixels: 5 },
  weights: { colorDims: COLOR_DIMS, cnnDims: CNN_DIMS, color: 0.5, cnn: 0.5, wholeColor: 0 },
  moreWeights: [
    { colorDims: COLOR_DIMS, cnnDims: CNN_DIMS, color: 0, cnn: 1, wholeColor: 0 },
    { colorDims: COLOR_DIMS, cnnDims: CNN_DIMS, color: 0, cnn: 0.5, wholeColor: 0.5 },
    { colorDims: COLOR_DIMS, cnnDims: CNN_DIMS, color: 0, cnn: 0, wholeColor: 0, regionToWhole: 1 },
  ],
  rerank: 32,
  minInliers: 40,
  strongInliers: 60,
  globalScale: { alike: 0.9, identical: 0.985 },
  bands: DEFAULT_BANDS,
  refreshMs: 15_000,
};

const MIRROR_RERANK = 5;

type Scored = { productId: number; photoKey: string; similarity: number };

/**
 * The local engine: global vector (colour histogram + MobileNetV2 features) for candidates, ORB + RANSAC
 * re-rank for near-duplicates. Features are stored in PostgreSQL ("PhotoFeature"); the search index lives in
 * memory, loaded at start and refreshed when rows change (the catalog sync indexes from another process).
 */
export function createLocalPhotoSearch(
  prisma: PrismaClient,
  overrides: Partial<LocalEngineSettings> = {},
): PhotoSearch & {
  refresh(): Promise<void>;
  ready(): Promise<void>;
  outdated(): Promise<number[]>;
  readonly size: number;
} {
  const settings = { ...DEFAULT_LOCAL_SETTINGS, ...overrides };
  const pool = new PhotoWorkerPool(settings.workers, settings.orb);
  const index = new VectorIndex();
  const writeFeatures = createFeatureWriter(prisma);
  let seen = { count: -1, latest: new Date(0) };

  const decodeError = (err: unknown) =>
    err instanceof PhotoWorkerError && err.decode ? new InvalidPhotoError('photo_corrupt', err.message) : err;

  /** Request to a worker thread; a photo it cannot decode is refused as corrupt. */
  async function inWorker<T>(request: Parameters<PhotoWorkerPool['run']>[0], transfer: ArrayBuffer[]): Promise<T> {
    try {
      return await pool.run<T>(request, transfer);
    } catch (err) {
      throw decodeError(err);
    }
  }
  const copyOf = (bytes: Buffer) => new Uint8Array(bytes);

  /**
   * A query's features, split across the threads: colour + CNN on one, ORB (and its mirror) on another, while
   * the main thread checks the photo. The check's verdict wins over a worker's decode error.
   */
  async function queryFeatures(bytes: Buffer): Promise<PhotoFeatures> {
    const forGlobal = copyOf(bytes);
    const forKeypoints = copyOf(bytes);
    const [check, vector, keypoints] = await Promise.allSettled([
      checkPhoto(bytes),
      inWorker<{ vector: Float32Array }>({ op: 'global', bytes: forGlobal }, [forGlobal.buffer]),
      inWorker<PhotoFeatures>({ op: 'keypoints', bytes: forKeypoints, withMirror: true }, [forKeypoints.buffer]),
    ]);
    if (check.status === 'rejected') throw check.reason;
    if (vector.status === 'rejected') throw vector.reason;
    if (keypoints.status === 'rejected') throw keypoints.reason;
    return { ...keypoints.value, vector: vector.value.vector };
  }

  async function refresh(): Promise<void> {
    const [state] = await prisma.$queryRaw<{ count: number; latest: Date | null }[]>`
      SELECT count(*)::int AS count, max("updatedAt") AS latest FROM "PhotoFeature" WHERE recipe = ${FEATURE_RECIPE}`;
    const latest = state.latest ?? new Date(0);
    if (state.count === seen.count && latest.getTime() === seen.latest.getTime()) return;
    const incremental = seen.count >= 0 && latest > seen.latest;
    const rows = await prisma.photoFeature.findMany({
      where: { recipe: FEATURE_RECIPE, ...(incremental ? { updatedAt: { gt: seen.latest } } : {}) },
    });
    if (incremental) rows.forEach((row) => index.upsert(fromRow(row)));
    // Rows removed elsewhere show as a count that no longer adds up: reload everything.
    if (!incremental || index.size !== state.count) {
      const all = incremental ? await prisma.photoFeature.findMany({ where: { recipe: FEATURE_RECIPE } }) : rows;
      index.replaceAll(all.map(fromRow));
    }
    seen = { count: state.count, latest };
  }

  let refreshing: Promise<void> | undefined;
  const refreshOnce = () => (refreshing ??= refresh().finally(() => (refreshing = undefined)));
  const loaded = refreshOnce();
  loaded.catch(() => undefined);
  const timer =
    settings.refreshMs > 0
      ? setInterval(() => void refreshOnce().catch(() => undefined), settings.refreshMs)
      : undefined;
  timer?.unref();

  const toSimilarity = (score: number) => {
    const { alike, identical } = settings.globalScale;
    const { exactThreshold, similarThreshold } = settings.bands;
    const mapped = similarThreshold + ((score - alike) / (identical - alike)) * (exactThreshold - similarThreshold);
    return Math.max(0, Math.min(1, mapped));
  };
  const verifiedSimilarity = (inliers: number) => {
    const { exactThreshold } = settings.bands;
    return Math.min(
      1,
      exactThreshold + ((1 - exactThreshold) * (inliers - settings.minInliers)) / (4 * settings.minInliers),
    );
  };

  /**
   * RANSAC inliers per candidate (best-first). The mirrored query is tried on the first few candidates right
   * after the straight one (the global vector barely changes under mirroring), so a mirrored photo needs no
   * second round. The checks are dealt across the threads; all stop at the first clear match.
   */
  async function rerank(query: PhotoFeatures, candidates: IndexedPhoto[]): Promise<number[]> {
    const checks: { candidate: number; mirrored: boolean }[] = [];
    candidates.forEach((_, candidate) => {
      checks.push({ candidate, mirrored: false });
      if (query.mirrored && candidate < MIRROR_RERANK) checks.push({ candidate, mirrored: true });
    });
    const hands = Math.min(settings.workers, checks.length);
    const counts = new Array<number>(candidates.length).fill(0);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    await Promise.all(
      Array.from({ length: hands }, async (_, hand) => {
        const mine = checks.filter((_, i) => i % hands === hand);
        const found = await pool.run<number[]>({
          op: 'inliers',
          queries: [keypointsOf(query), ...(query.mirrored ? [query.mirrored] : [])],
          candidates: mine.map((check) => keypointsOf(candidates[check.candidate])),
          queryOf: mine.map((check) => (check.mirrored ? 1 : 0)),
          stopAt: settings.strongInliers,
          atLeast: settings.minInliers,
          stop,
        });
        found.forEach((n, k) => (counts[mine[k].candidate] = Math.max(counts[mine[k].candidate], n)));
      }),
    );
    return counts;
  }

  return {
    get size() {
      return index.size;
    },
    refresh: refreshOnce,
    ready: async () => {
      await Promise.all([pool.ready(), loaded]);
    },

    async index(productId, photoKey, bytes) {
      await checkPhoto(bytes);
      const copy = copyOf(bytes);
      const f = await inWorker<PhotoFeatures>({ op: 'extract', bytes: copy }, [copy.buffer]);
      const data = {
        recipe: FEATURE_RECIPE,
        vector: bytesOf(f.vector),
        descriptors: bytesOf(f.descriptors),
        points: bytesOf(f.points),
      };
      await writeFeatures({ productId, photoKey, ...data });
      index.upsert({ productId, photoKey, vector: f.vector, descriptors: f.descriptors, points: f.points });
    },

    async remove(productId) {
      await prisma.photoFeature.deleteMany({ where: { productId } });
      index.removeProduct(productId);
    },

    async outdated() {
      const rows = await prisma.$queryRaw<{ id: number }[]>`
        SELECT DISTINCT p."productId" AS id FROM "ProductPhoto" p
        WHERE p."indexedAt" IS NOT NULL AND p."storageKey" IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM "PhotoFeature" f
          WHERE f."productId" = p."productId" AND f."photoKey" = p."storageKey" AND f.recipe = ${FEATURE_RECIPE})`;
      return rows.map((r) => r.id);
    },

    async search(bytes) {
      const started = performance.now();
      const stages: Record<string, number> = {};
      let mark = started;
      const lap = (name: string) => {
        const now = performance.now();
        stages[name] = Math.round((now - mark) * 10) / 10;
        mark = now;
      };
      await loaded;
      const query = await queryFeatures(bytes);
      lap('features');
      const lists = index.nearest(query.vector, Math.max(settings.rerank, settings.bands.maxSimilar * 4), [
        settings.weights,
        ...settings.moreWeights,
      ]);
      // The candidate lists dealt alternately: colour + CNN of the bouquet's region, the CNN alone (a colour cast
      // barely moves it), the whole photo's colour + CNN (when the region is misjudged), the query's region against
      // the catalog's whole photo (a catalog photo pasted with its own backdrop onto another one).
      const merged = new Map<IndexedPhoto, number>();
      for (let i = 0; i < lists[0].length; i++)
        for (const list of lists) {
          const hit = list[i];
          if (hit && !merged.has(hit.photo)) merged.set(hit.photo, hit.score);
        }
      const ranked = [...merged].map(([photo, score]) => ({ photo, score }));
      const candidates = ranked.slice(0, settings.rerank).map((n) => n.photo);
      lap('nearest');
      const inliers = await rerank(query, candidates);
      lap('rerank');
      const scored: Scored[] = ranked.map((n, i) => ({
        productId: n.photo.productId,
        photoKey: n.photo.photoKey,
        similarity:
          (inliers[i] ?? 0) >= settings.minInliers
            ? verifiedSimilarity(inliers[i])
            : Math.min(toSimilarity(n.score), settings.bands.exactThreshold - 0.001),
      }));
      const bands = await productMatches(prisma, scored, settings.bands);
      lap('catalog');
      const checked = settings.profile
        ? candidates.map((c, i) => ({ productId: c.productId, inliers: inliers[i] })).filter((c) => c.inliers > 0)
        : undefined;
      return {
        ...bands,
        tookMs: Math.round(performance.now() - started),
        ...(settings.profile ? { stages, checked } : {}),
      };
    },

    async close() {
      if (timer) clearInterval(timer);
      await pool.close();
    },
  };
}

const keypointsOf = (p: Keypoints): Keypoints => ({ descriptors: p.descriptors, points: p.points });
const bytesOf = (view: ArrayBufferView): Uint8Array<ArrayBuffer> =>
  new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer);

function fromRow(row: {
  productId: number;
  photoKey: string;
  vector: Uint8Array;
  descriptors: Uint8Array;
  points: Uint8Array;
}): IndexedPhoto {
  const floats = (b: Uint8Array) => new Float32Array(b.slice().buffer); // copy: the row's view may be unaligned
  return {
    productId: row.productId,
    photoKey: row.photoKey,
    vector: floats(row.vector),
    descriptors: new Uint8Array(row.descriptors),
    points: floats(row.points),
  };
}
