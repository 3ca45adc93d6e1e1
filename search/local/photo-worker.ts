import { parentPort, workerData } from 'node:worker_threads';
import { createExtractor } from './extract';
import type { Keypoints, OrbOptions } from './orb';

/**
 * Worker thread: decoding, CNN and ORB live here (the opencv module aborts its process on an unhandled
 * rejection, and the CNN would block the event loop). Requests: {id, op, ...}; answers: {id, result | error}.
 */
export type WorkerRequest =
  | { id: number; op: 'extract'; bytes: Uint8Array; withMirror: boolean }
  | { id: number; op: 'inliers'; query: Keypoints; candidates: Keypoints[]; stopAt: number };

const port = parentPort!;
const ready = createExtractor(workerData as OrbOptions);

port.on('message', (request: WorkerRequest) => void handle(request));

async function handle(request: WorkerRequest): Promise<void> {
  try {
    const extractor = await ready;
    if (request.op === 'extract') {
      const features = await extractor.extract(request.bytes, request.withMirror);
      const transfer = [features.vector.buffer, features.descriptors.buffer, features.points.buffer] as ArrayBuffer[];
      if (features.mirrored)
        transfer.push(
          features.mirrored.descriptors.buffer as ArrayBuffer,
          features.mirrored.points.buffer as ArrayBuffer,
        );
      port.postMessage({ id: request.id, result: features }, transfer);
    } else {
      // Candidates come best-first; a clear geometric match ends the re-rank early.
      const counts: number[] = [];
      for (const candidate of request.candidates) {
        const n = extractor.inliers(request.query, candidate);
        counts.push(n);
        if (n >= request.stopAt) break;
      }
      port.postMessage({ id: request.id, result: counts });
    }
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
