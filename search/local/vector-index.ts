import type { Keypoints } from './orb';

export interface IndexedPhoto extends Keypoints {
  productId: number;
  photoKey: string;
  vector: Float32Array;
}

/** Weights of the two parts of the global vector (colour histogram, CNN) in the candidate score. */
export interface VectorWeights {
  colorDims: number;
  color: number;
  cnn: number;
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

  /** The `k` best photos by weighted cosine, best first. */
  nearest(vector: Float32Array, k: number, w: VectorWeights): { photo: IndexedPhoto; score: number }[] {
    const top: { photo: IndexedPhoto; score: number }[] = [];
    const dims = vector.length;
    for (const photo of this.photos) {
      const v = photo.vector;
      let color = 0;
      let cnn = 0;
      for (let i = 0; i < w.colorDims; i++) color += vector[i] * v[i];
      for (let i = w.colorDims; i < dims; i++) cnn += vector[i] * v[i];
      const score = w.color * color + w.cnn * cnn;
      if (top.length < k || score > top[top.length - 1].score) {
        top.push({ photo, score });
        top.sort((a, b) => b.score - a.score);
        if (top.length > k) top.pop();
      }
    }
    return top;
  }
}
