/**
 * The seam between the catalog sync and the photo search: the sync calls `index` for every new or changed
 * stored photo and `remove` for every product that left the catalog. `productId` is the database `Product.id`;
 * `photoKey` is the S3 key (derived from the content hash, so equal bytes share one key).
 */
export interface PhotoIndex {
  index(productId: number, photoKey: string, bytes: Buffer): Promise<void>;
  remove(productId: number): Promise<void>;
  /** Products marked indexed whose features the engine no longer has (e.g. after a change of its feature recipe). */
  outdated?(): Promise<number[]>;
}

/** Until the photo search plugs in: nothing is indexed, and nothing is marked as indexed either. */
export const noopPhotoIndex: PhotoIndex = {
  index: async () => undefined,
  remove: async () => undefined,
};
