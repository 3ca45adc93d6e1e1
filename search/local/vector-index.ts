import type { Keypoints } from './orb';

/** Channels of the CNN part of the global vector (MobileNetV2 block_12, GeM-pooled). */
export const CNN_DIMS = 96;

export interface IndexedPhoto extends Keypoints {
  productId: number;
  photoKey: string;
  vector: Float32Array;
}

/** Weights of the parts of the global vector (region's colour histogram, CNN, whole photo's colour histogram). */
export interface VectorWeights {
  colorDims: number;
  cnnDims: number;
  color: number;
  cnn: number;
  wholeColor: number;
  /** The query's region (colour + CNN) against the catalog photo's whole photo (colour histogram + CNN): a
   * catalog photo pasted onto another backdrop has its own backdrop inside the query's region. */
  regionToWhole?: number;
}

/** The in-memory index: brute-force cosine over a few hundred dims is ~2 ms for 5,000 photos. */
export class VectorIndex {
  private photos: IndexedPhoto[] = [];

  get size(): number {
    return this.photos.length;
  }

  replaceAll(photos: IndexedPhoto[]): void {
    this.photos = photos;
  }

  upsert(photo: IndexedPhoto): void {
    const at = this.photos.findIndex((p) => p.productId === photo.productId && p.photoKey === photo.photoKey);
    if (at >= 0) this.photos[at] = photo;
    else this.photos.push(photo);
  }

  removeProduct(productId: number): void {
    this.photos = this.photos.filter((p) => p.productId !== productId);
  }

  /**
   * The `k` best photos under each weighting of the three cosines, best first, in one scan. Each answer carries
   * the photo's score under the first weighting, the one the similarity scale is calibrated on.
   */
  nearest(vector: Float32Array, k: number, weightings: VectorWeights[]): { photo: IndexedPhoto; score: number }[][] {
    const tops = weightings.map(() => [] as { photo: IndexedPhoto; score: number; rank: number }[]);
    const floors = weightings.map(() => -Infinity);
    const dims = vector.length;
    const cnnStart = weightings[0].colorDims;
    const wholeStart = cnnStart + weightings[0].cnnDims;
    const wholeCnnStart = wholeStart + weightings[0].colorDims;
    const crossed = weightings.some((w) => w.regionToWhole);
    for (const photo of this.photos) {
      const v = photo.vector;
      let color = 0;
      let cnn = 0;
      let whole = 0;
      let cross = 0;
      for (let i = 0; i < cnnStart; i++) color += vector[i] * v[i];
      for (let i = cnnStart; i < wholeStart; i++) cnn += vector[i] * v[i];
      for (let i = wholeStart; i < wholeCnnStart && i < dims; i++) whole += vector[i] * v[i];
      // Only catalog vectors carry the whole photo's CNN.
      if (crossed && v.length > wholeCnnStart) {
        let crossColor = 0;
        let crossCnn = 0;
        for (let i = 0; i < cnnStart; i++) crossColor += vector[i] * v[wholeStart + i];
        for (let i = cnnStart; i < wholeStart; i++) crossCnn += vector[i] * v[wholeCnnStart - cnnStart + i];
        cross = (crossColor + crossCnn) / 2;
      }
      const first = weightings[0];
      const score = first.color * color + first.cnn * cnn + first.wholeColor * whole;
      for (let t = 0; t < weightings.length; t++) {
        const w = weightings[t];
        const rank = w.color * color + w.cnn * cnn + w.wholeColor * whole + (w.regionToWhole ?? 0) * cross;
        if (rank <= floors[t]) continue;
        const top = tops[t];
        top.push({ photo, score, rank });
        top.sort((a, b) => b.rank - a.rank);
        if (top.length > k) top.pop();
        if (top.length === k) floors[t] = top[k - 1].rank;
      }
    }
    return tops.map((top) => top.map(({ photo, score }) => ({ photo, score })));
  }
}
