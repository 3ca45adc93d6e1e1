import sharp from 'sharp';
import { CNN_INPUT, loadCnn } from './cnn';
import { colorHistogram } from './color';
import { loadOrb, type Keypoints, type OrbOptions } from './orb';

/** Bump when the recipe changes: stored rows of another recipe are recomputed from the photos. */
export const FEATURE_RECIPE = 'hsv166soft+mnv2b12gem96@160+orb300@320-v2';
const COLOR_SIDE = 64;
/** ORB runs on the grey image scaled to fit this square: fewer pixels, fewer but steadier keypoints. */
export const ORB_SIDE = 320;

export interface PhotoFeatures extends Keypoints {
  /** Colour histogram (166) then CNN (96), each part L2-normalised on its own. */
  vector: Float32Array;
  /** Keypoints of the mirrored image (queries only: ORB is not mirror-invariant). */
  mirrored?: Keypoints;
}

/** Decode + features of one photo; everything heavy. Build it once per worker thread. */
export async function createExtractor(orbOptions: OrbOptions) {
  const [embed, orb] = await Promise.all([loadCnn(), loadOrb(orbOptions)]);

  async function extract(bytes: Uint8Array, withMirror: boolean): Promise<PhotoFeatures> {
    const base = sharp(bytes, { failOn: 'error', limitInputPixels: 50_000_000 })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb');
    const [cnnRgb, colorRgb, gray] = await Promise.all([
      base.clone().resize(CNN_INPUT, CNN_INPUT, { fit: 'fill' }).raw().toBuffer(),
      base.clone().resize(COLOR_SIDE, COLOR_SIDE, { fit: 'fill' }).raw().toBuffer(),
      base
        .clone()
        .resize(ORB_SIDE, ORB_SIDE, { fit: 'inside' })
        .grayscale()
        .raw()
        .toBuffer({ resolveWithObject: true }),
    ]);
    const color = colorHistogram(colorRgb, COLOR_SIDE, COLOR_SIDE);
    const cnn = embed(cnnRgb);
    const vector = new Float32Array(color.length + cnn.length);
    vector.set(color, 0);
    vector.set(cnn, color.length);
    const { width, height } = gray.info;
    const keypoints = orb.extract(gray.data, width, height);
    const mirrored = withMirror ? orb.extract(mirror(gray.data, width, height), width, height) : undefined;
    return { vector, ...keypoints, mirrored };
  }

  return { extract, inliers: orb.inliers };
}

function mirror(gray: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(gray.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = gray[row + width - 1 - x];
  }
  return out;
}
