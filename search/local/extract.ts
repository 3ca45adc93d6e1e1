import sharp from 'sharp';
import { CNN_INPUT, loadCnn } from './cnn';
import { colorHistogram } from './color';
import { loadOrb, type Keypoints, type OrbOptions } from './orb';
import { salientBox } from './salient';

/** Bump when the recipe changes: stored rows of another recipe are recomputed from the photos. */
export const FEATURE_RECIPE = `salient(hsv166soft+mnv2b12gem96@${CNN_INPUT})+hsv166soft+orb300@320+wholemnv2-v5`;
const COLOR_SIDE = 64;
/** The global vector looks at the salient region found on a thumbnail of this size. */
const SALIENT_SIDE = 256;
/** ORB runs on the grey image scaled to fit this square: fewer pixels, fewer but steadier keypoints. */
export const ORB_SIDE = 320;

export interface PhotoFeatures extends Keypoints {
  /** Colour histogram (166) and CNN (96) of the salient region, the whole photo's colour histogram (166), then
   * (catalog photos only) the whole photo's CNN (96); each part L2-normalised on its own. */
  vector: Float32Array;
  /** Keypoints of the mirrored image (queries only: ORB is not mirror-invariant). */
  mirrored?: Keypoints;
}

const decode = (bytes: Uint8Array) =>
  sharp(bytes, { failOn: 'error', limitInputPixels: 50_000_000 }).rotate().removeAlpha().toColourspace('srgb');

/** Decode + features of one photo; everything heavy. Build it once per worker thread. */
export async function createExtractor(orbOptions: OrbOptions) {
  const [embed, orb] = await Promise.all([loadCnn(), loadOrb(orbOptions)]);

  /**
   * Colour histogram + CNN of the salient region (the bouquet without the plain background around it), and the
   * whole photo's histogram (steadier when the region is misjudged, e.g. a rotation's filled corners).
   * `withWholeCnn` (catalog photos): also the whole photo's CNN, for queries whose region is a pasted catalog
   * photo with its own backdrop.
   */
  async function global(bytes: Uint8Array, withWholeCnn = false): Promise<Float32Array> {
    const thumb = await decode(bytes)
      .resize(SALIENT_SIDE, SALIENT_SIDE, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = thumb.info;
    const box = salientBox(thumb.data, width, height);
    const region = () => sharp(thumb.data, { raw: { width, height, channels: 3 } }).extract(box);
    const whole = () => sharp(thumb.data, { raw: { width, height, channels: 3 } });
    const [cnnRgb, colorRgb, wholeRgb, wholeCnnRgb] = await Promise.all([
      region().resize(CNN_INPUT, CNN_INPUT, { fit: 'fill' }).raw().toBuffer(),
      region().resize(COLOR_SIDE, COLOR_SIDE, { fit: 'fill' }).raw().toBuffer(),
      whole().resize(COLOR_SIDE, COLOR_SIDE, { fit: 'fill' }).raw().toBuffer(),
      withWholeCnn ? whole().resize(CNN_INPUT, CNN_INPUT, { fit: 'fill' }).raw().toBuffer() : undefined,
    ]);
    // Region and whole photo through the CNN as one batch: one pass through the layers instead of two.
    const [regionCnn, wholeCnn] = embed(wholeCnnRgb ? [cnnRgb, wholeCnnRgb] : [cnnRgb]);
    const parts = [
      colorHistogram(colorRgb, COLOR_SIDE, COLOR_SIDE),
      regionCnn,
      colorHistogram(wholeRgb, COLOR_SIDE, COLOR_SIDE),
      ...(wholeCnn ? [wholeCnn] : []),
    ];
    const vector = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of parts) {
      vector.set(part, at);
      at += part.length;
    }
    return vector;
  }

  async function keypoints(bytes: Uint8Array, withMirror: boolean): Promise<Keypoints & { mirrored?: Keypoints }> {
    const gray = await decode(bytes)
      .resize(ORB_SIDE, ORB_SIDE, { fit: 'inside' })
      .grayscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = gray.info;
    const own = orb.extract(gray.data, width, height);
    const mirrored = withMirror ? orb.extract(mirror(gray.data, width, height), width, height) : undefined;
    return { ...own, mirrored };
  }

  async function extract(bytes: Uint8Array): Promise<PhotoFeatures> {
    const [vector, points] = await Promise.all([global(bytes, true), keypoints(bytes, false)]);
    return { vector, ...points };
  }

  return { extract, global, keypoints, inliers: orb.inliers };
}

function mirror(gray: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(gray.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = gray[row + width - 1 - x];
  }
  return out;
}
