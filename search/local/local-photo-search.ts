import type { PrismaClient } from '../../db/client';
import { checkPhoto } from '../photo-input';
import { DEFAULT_BANDS, InvalidPhotoError, type PhotoBands, type PhotoSearch } from '../photo-search-port';
import { productMatches } from '../product-matches';
import { COLOR_DIMS } from './color';
import { FEATURE_RECIPE, type PhotoFeatures } from './extract';
import type { Keypoints, OrbOptions } from './orb';
import { VectorIndex, type IndexedPhoto, type VectorWeights } from './vector-index';
import { PhotoWorkerError, PhotoWorkerPool } from './worker-pool';

export interface LocalEngineSettings {
  workers: number;
  orb: OrbOptions;
  weights: VectorWeights;
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
  weights: { colorDims: COLOR_DIMS, color: 0.5, cnn: 0.5 },
  rerank: 16,
  minInliers: 30,
  strongInliers: 80,
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
): PhotoSearch & { refresh(): Promise<void>; ready(): Promise<void>; readonly size: number } {
  const settings = { ...DEFAULT_LOCAL_SETTINGS, ...overrides };
  const pool = new PhotoWorkerPool(settings.workers, settings.orb);
  const index = new VectorIndex();
  let seen = { count: -1, latest: new Date(0) };

  async function features(bytes: Buffer, withMirror: boolean, check = true): Promise<PhotoFeatures> {
    if (check) await checkPhoto(bytes);
    const copy = new Uint8Array(bytes);
    try {
      return await pool.run<PhotoFeatures>({ op: 'extract', bytes: copy, withMirror }, [copy.buffer]);
    } catch (err) {
      if (err instanceof PhotoWorkerError && err.decode) throw new InvalidPhotoError('photo_corrupt', err.message);
      throw err;
    }
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

  async function rerank(query: Keypoints, candidates: IndexedPhoto[]): Promise<number[]> {
    return pool.run<number[]>({
      op: 'inliers',
      query,
      candidates: candidates.map(keypointsOf),
      stopAt: settings.strongInliers,
    });
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
      const f = await features(bytes, false);
      const data = {
        recipe: FEATURE_RECIPE,
        vector: bytesOf(f.vector),
        descriptors: bytesOf(f.descriptors),
        points: bytesOf(f.points),
      };
      await prisma.photoFeature.upsert({
        where: { productId_photoKey: { productId, photoKey } },
        create: { productId, photoKey, ...data },
        update: data,
      });
      index.upsert({ productId, photoKey, vector: f.vector, descriptors: f.descriptors, points: f.points });
    },

    async remove(productId) {
      await prisma.photoFeature.deleteMany({ where: { productId } });
      index.removeProduct(productId);
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
      await checkPhoto(bytes);
      lap('check');
      const query = await features(bytes, true, false);
      lap('features');
      const nearest = index.nearest(
        query.vector,
        Math.max(settings.rerank, settings.bands.maxSimilar * 4),
        settings.weights,
      );
      const candidates = nearest.slice(0, settings.rerank).map((n) => n.photo);
      lap('nearest');
      let inliers = await rerank(query, candidates);
      // The global vector barely changes under mirroring, so a mirrored photo's bouquet is among the first few.
      if (!inliers.some((n) => n >= settings.minInliers) && query.mirrored)
        inliers = await rerank(query.mirrored, candidates.slice(0, MIRROR_RERANK));
      lap('rerank');
      const scored: Scored[] = nearest.map((n, i) => ({
        productId: n.photo.productId,
        photoKey: n.photo.photoKey,
        similarity:
          (inliers[i] ?? 0) >= settings.minInliers
            ? verifiedSimilarity(inliers[i])
            : Math.min(toSimilarity(n.score), settings.bands.exactThreshold - 0.001),
      }));
      const bands = await productMatches(prisma, scored, settings.bands);
      lap('catalog');
      return { ...bands, tookMs: Math.round(performance.now() - started), ...(settings.profile ? { stages } : {}) };
    },

    async close() {
      if (timer) clearInterval(timer);
      await pool.close();
    },
  };
}

const keypointsOf = (p: IndexedPhoto): Keypoints => ({ descriptors: p.descriptors, points: p.points });
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
