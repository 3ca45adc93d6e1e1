import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerRequest } from './photo-worker';
import type { OrbOptions } from './orb';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each request resolves with its own result type
type Pending = { resolve(value: any): void; reject(err: Error): void };
type Slot = { worker: Worker; busy: number; ready: Promise<void> };
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class PhotoWorkerError extends Error {
  constructor(
    message: string,
    readonly decode: boolean,
  ) {
    super(message);
  }
}

/** TypeScript workers under tsx and under jest alike: the thread registers tsx, then loads the .ts file. */
const BOOTSTRAP = `require('tsx/cjs/api').register(); require(${JSON.stringify(path.join(__dirname, 'photo-worker.ts'))});`;

/** A few feature worker threads; each request goes to the least busy one. */
export class PhotoWorkerPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(size: number, orb: OrbOptions) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => this.spawn(orb));
  }

  /** Resolves when every worker has loaded its models. */
  ready(): Promise<void> {
    return Promise.all(this.slots.map((s) => s.ready)).then(() => undefined);
  }

  run<T>(request: Request, transfer: ArrayBuffer[] = []): Promise<T> {
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...request, id }, transfer);
    }).finally(() => slot.busy--);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(orb: OrbOptions): Slot {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: orb });
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on(
        'message',
        (msg: {
          id?: number;
          ready?: boolean;
          message?: string;
          result?: unknown;
          error?: { message: string; decode: boolean };
        }) => {
          if (msg.ready !== undefined) return msg.ready ? resolve() : reject(new Error(`photo worker: ${msg.message}`));
          const pending = this.pending.get(msg.id!);
          if (!pending) return;
          this.pending.delete(msg.id!);
          if (msg.error) pending.reject(new PhotoWorkerError(msg.error.message, msg.error.decode));
          else pending.resolve(msg.result);
        },
      );
      worker.on('error', (err) => {
        reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
    });
    ready.catch(() => undefined);
    return { worker, busy: 0, ready };
  }
}
