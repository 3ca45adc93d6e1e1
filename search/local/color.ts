/** Hue 18 × saturation 3 × value 3 chromatic bins + 4 grey levels: the 166-bin HSV histogram that was measured. */
export const COLOR_DIMS = 166;

/**
 * Centre-weighted HSV histogram of an RGB image, as a Hellinger (square-root) L2-normalised vector. The weight
 * falls off towards the edges because a bouquet sits in the middle and backgrounds change between photos.
 */
export function colorHistogram(rgb: Uint8Array, width: number, height: number): Float32Array {
  const bins = new Float32Array(COLOR_DIMS);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const r = rgb[i] / 255;
      const g = rgb[i + 1] / 255;
      const b = rgb[i + 2] / 255;
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const delta = max - min;
      const s = max === 0 ? 0 : delta / max;
      const dx = (x - cx) / width;
      const dy = (y - cy) / height;
      const weight = Math.exp(-(dx * dx + dy * dy) * 6);
      if (s < 0.18 || max < 0.12) {
        bins[162 + Math.min(3, Math.floor(max * 4))] += weight;
        continue;
      }
      let h: number;
      if (max === r) h = ((g - b) / delta) % 6;
      else if (max === g) h = (b - r) / delta + 2;
      else h = (r - g) / delta + 4;
      h = (h * 60 + 360) % 360;
      // Soft hue binning: a hue between two bin centres feeds both, so a small colour cast moves little weight.
      const sb = Math.min(2, Math.floor(((s - 0.18) / 0.82) * 3));
      const vb = Math.min(2, Math.floor(max * 3));
      const position = h / 20 - 0.5;
      const low = Math.floor(position);
      const share = position - low;
      bins[(((low % 18) + 18) % 18) * 9 + sb * 3 + vb] += weight * (1 - share);
      bins[((low + 1) % 18) * 9 + sb * 3 + vb] += weight * share;
    }
  }
  let norm = 0;
  for (let i = 0; i < bins.length; i++) {
    bins[i] = Math.sqrt(bins[i]);
    norm += bins[i] * bins[i];
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < bins.length; i++) bins[i] /= norm;
  return bins;
}
