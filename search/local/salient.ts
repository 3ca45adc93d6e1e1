/** A pixel further than this (max over R, G, B) from every background colour belongs to the subject. */
const BACKGROUND_TOLERANCE = 28;
/** Rows and columns with fewer subject pixels than this share of the side are background (noise, thin edges). */
const MIN_SHARE = 0.03;
/** The outer ring (this share of each side) whose common colours are taken for the background. */
const RING = 0.06;
/** A colour covering at least this share of the ring is a background colour (a backdrop, a rotation's corners). */
const BACKGROUND_SHARE = 0.15;

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

type Rgb = [number, number, number];

/**
 * The region of an RGB image that differs from its plain background: the background colours are the common
 * colours of the outer ring, so a bouquet shrunk onto another backdrop and the catalog photo give similar
 * regions. The whole image when no clear region stands out.
 */
export function salientBox(rgb: Uint8Array, width: number, height: number): Box {
  const whole = { left: 0, top: 0, width, height };
  const backgrounds = ringColours(rgb, width, height);
  if (!backgrounds.length) return whole;
  const rows = new Uint32Array(height);
  const cols = new Uint32Array(width);
  const colours = Float64Array.from(backgrounds.flat());
  // Plain loops, no closure per pixel: this scan runs on every photo indexed or searched.
  for (let y = 0, i = 0; y < height; y++)
    for (let x = 0; x < width; x++, i += 3) {
      const r = rgb[i];
      const g = rgb[i + 1];
      const b = rgb[i + 2];
      let isBackground = false;
      for (let k = 0; k < colours.length && !isBackground; k += 3)
        isBackground =
          Math.abs(r - colours[k]) <= BACKGROUND_TOLERANCE &&
          Math.abs(g - colours[k + 1]) <= BACKGROUND_TOLERANCE &&
          Math.abs(b - colours[k + 2]) <= BACKGROUND_TOLERANCE;
      if (!isBackground) {
        rows[y]++;
        cols[x]++;
      }
    }
  const [top, bottom] = span(rows, Math.max(2, width * MIN_SHARE));
  const [left, right] = span(cols, Math.max(2, height * MIN_SHARE));
  const box = { left, top, width: right - left + 1, height: bottom - top + 1 };
  return box.width < width * 0.2 || box.height < height * 0.2 ? whole : box;
}

/** Mean colours of the coarse (16 levels a channel) colour bins that cover much of the outer ring. */
function ringColours(rgb: Uint8Array, width: number, height: number): Rgb[] {
  const ringX = Math.max(1, Math.round(width * RING));
  const ringY = Math.max(1, Math.round(height * RING));
  // 4096 coarse bins: count, then the sums of R, G and B, in flat arrays (no object per pixel).
  const counts = new Uint32Array(4096);
  const sums = new Float64Array(4096 * 3);
  let ringPixels = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= ringX && x < width - ringX && y >= ringY && y < height - ringY) continue;
      const i = (y * width + x) * 3;
      const key = ((rgb[i] >> 4) << 8) | ((rgb[i + 1] >> 4) << 4) | (rgb[i + 2] >> 4);
      counts[key]++;
      sums[key * 3] += rgb[i];
      sums[key * 3 + 1] += rgb[i + 1];
      sums[key * 3 + 2] += rgb[i + 2];
      ringPixels++;
    }
  }
  const colours: Rgb[] = [];
  for (let key = 0; key < counts.length; key++)
    if (counts[key] >= ringPixels * BACKGROUND_SHARE)
      colours.push([sums[key * 3] / counts[key], sums[key * 3 + 1] / counts[key], sums[key * 3 + 2] / counts[key]]);
  return colours;
}

function span(counts: Uint32Array, need: number): [number, number] {
  let low = 0;
  let high = counts.length - 1;
  while (low < high && counts[low] < need) low++;
  while (high > low && counts[high] < need) high--;
  return [low, high];
}
