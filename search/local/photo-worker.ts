import { parentPort, workerData } from 'node:worker_threads';
import { createExtractor, type PhotoFeatures } from './extract';
import type { Keypoints, OrbOptions } from './orb';

/**
 * Worker thread: decoding, CNN and ORB live here (the opencv module aborts its process on an unhandled
 * rejection, and the CNN would block the event loop). Requests: {id, op, ...}; answers: {id, result | error}.
 * A query is split across threads: `global` (colour + CNN) on one, `keypoints` (ORB) on another.
 */
export type WorkerRequest =
  | { id: number; op: 'extract'; bytes: Uint8Array }
  | { id: number; op: 'global'; bytes: Uint8Array }
  | { id: number; op: 'keypoints'; bytes: Uint8Array; withMirror: boolean }
  | {
      id: number;
      op: 'inliers';
      queries: Keypoints[];
      candidates: Keypoints[];
      /** Which query each candidate is compared with. */
      queryOf: number[];
      stopAt: number;
      /** Inliers from which a candidate counts: fewer ratio-test matches skip RANSAC. */
      atLeast: number;
      /** Shared between the threads re-ranking one query: set once any of them finds a clear match. */
      stop: Int32Array;
    };

const port = parentPort!;
const ready = createExtractor(workerData as OrbOptions);

port.on('message', (request: WorkerRequest) => void handle(request));

const buffersOf = (f: Partial<PhotoFeatures>): ArrayBuffer[] =>
  [f.vector, f.descriptors, f.points, f.mirrored?.descriptors, f.mirrored?.points]
    .filter((b) => b !== undefined)
    .map((b) => b.buffer as ArrayBuffer);

async function handle(request: WorkerRequest): Promise<void> {
  try {
    const extractor = await ready;
    if (request.op === 'inliers') {
      // Candidates come best-first; a clear geometric match (here or in another thread) ends the re-rank early.
      const counts: number[] = [];
      for (const [i, candidate] of request.candidates.entries()) {
        if (Atomics.load(request.stop, 0)) break;
        const n = extractor.inliers(request.queries[request.queryOf[i]], candidate, request.atLeast);
        counts.push(n);
        if (n >= request.stopAt) Atomics.store(request.stop, 0, 1);
      }
      port.postMessage({ id: request.id, result: counts });
      return;
    }
    const features: Partial<PhotoFeatures> =
      request.op === 'extract'
        ? await extractor.extract(request.bytes)
        : request.op === 'global'
          ? { vector: await extractor.global(request.bytes) }
          : await extractor.keypoints(request.bytes, request.withMirror);
    port.postMessage({ id: request.id, result: features }, buffersOf(features));
  } catch (err) {
    port.postMessage({
      id: request.id,
      error: {
        message: (err as Error).message,
        decode: /input|decode|corrupt|unsupported|vips/i.test((err as Error).message),
      },
    });
  }
}

ready.then(
  () => port.postMessage({ ready: true }),
  (err: Error) => port.postMessage({ ready: false, message: err.message }),
);
