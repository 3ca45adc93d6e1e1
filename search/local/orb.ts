/* eslint-disable @typescript-eslint/no-explicit-any -- opencv.js ships no usable types for its wasm objects */
import { descriptorWords, ratioMatches } from './hamming';

/** Keypoints of one image: 32-byte ORB descriptors and their x,y positions. */
export interface Keypoints {
  descriptors: Uint8Array;
  points: Float32Array;
}

export interface OrbOptions {
  maxKeypoints: number;
  /** Lowe's ratio: a match counts when clearly better than the second best. */
  ratio: number;
  /** RANSAC reprojection error in pixels. */
  ransacPixels: number;
}

/**
 * ORB keypoints and RANSAC homography with @techstark/opencv-js. Load only inside a worker thread: the module
 * installs a process-wide unhandledRejection handler that aborts, and it is a thenable (never `await` it).
 */
export async function loadOrb(options: OrbOptions) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cv: any = require('@techstark/opencv-js');
  if (!cv.Mat) await new Promise<void>((resolve) => (cv.onRuntimeInitialized = () => resolve()));
  const orb = new cv.ORB(options.maxKeypoints);
  const noMask = new cv.Mat();

  function extract(gray: Uint8Array, width: number, height: number): Keypoints {
    const image = cv.matFromArray(height, width, cv.CV_8UC1, gray);
    const keypoints = new cv.KeyPointVector();
    const descriptors = new cv.Mat();
    try {
      orb.detectAndCompute(image, noMask, keypoints, descriptors);
      const count = keypoints.size();
      const points = new Float32Array(count * 2);
      for (let i = 0; i < count; i++) {
        const kp = keypoints.get(i);
        points[i * 2] = kp.pt.x;
        points[i * 2 + 1] = kp.pt.y;
      }
      return { descriptors: count ? new Uint8Array(descriptors.data) : new Uint8Array(0), points };
    } finally {
      image.delete();
      keypoints.delete();
      descriptors.delete();
    }
  }

  /**
   * RANSAC inliers of a homography from `query` to `candidate`: many inliers ⇒ the same photo, transformed.
   * Fewer ratio-test matches than `atLeast` cannot give `atLeast` inliers: 0 at once, without RANSAC.
   */
  function inliers(query: Keypoints, candidate: Keypoints, atLeast = 8): number {
    if (query.descriptors.length < 32 * 8 || candidate.descriptors.length < 32 * 8) return 0;
    const pairs = ratioMatches(
      descriptorWords(query.descriptors),
      descriptorWords(candidate.descriptors),
      options.ratio,
    );
    const count = pairs.length / 2;
    if (count < Math.max(8, atLeast)) return 0;
    const src = new Float32Array(count * 2);
    const dst = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      const q = pairs[i * 2];
      const c = pairs[i * 2 + 1];
      src[i * 2] = query.points[q * 2];
      src[i * 2 + 1] = query.points[q * 2 + 1];
      dst[i * 2] = candidate.points[c * 2];
      dst[i * 2 + 1] = candidate.points[c * 2 + 1];
    }
    const from = cv.matFromArray(count, 1, cv.CV_32FC2, src);
    const to = cv.matFromArray(count, 1, cv.CV_32FC2, dst);
    const mask = new cv.Mat();
    try {
      const h = cv.findHomography(from, to, cv.RANSAC, options.ransacPixels, mask);
      const ok = !h.empty();
      h.delete();
      return ok ? cv.countNonZero(mask) : 0;
    } finally {
      from.delete();
      to.delete();
      mask.delete();
    }
  }

  return { extract, inliers };
}
