import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerRequest } from './photo-worker';
import type { OrbOptions } from './orb';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each request resolves with its own result type
type Pending = { resolve(value: any): void; reject(err: Error): void; slot: Slot };
type Slot = { worker: Worker; busy: number; ready: Promise<void>; loaded: boolean };
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class PhotoWorkerError extends Error {
  constructor(
    message: string,
    readonly decode: boolean,
  ) {
    super(message);
  }
}

/** The thread died while holding the request: the photo may be what killed it. */
export class PhotoWorkerCrash extends PhotoWorkerError {
  constructor(message: string) {
    super(message, false);
  }
}

/** TypeScript workers under tsx and under jest alike: the thread registers tsx, then loads the .ts file. */
const BOOTSTRAP = `require('tsx/cjs/api').register(); require(${JSON.stringify(path.join(__dirname, 'photo-worker.ts'))});`;

/**
 * A few feature worker threads; each request goes to the least busy one. A thread that dies (a crash in a
 * native decoder, out of memory) fails only the requests it held and is replaced, so later requests do not
 * wait on a dead thread.
 */
export class PhotoWorkerPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** How many threads were replaced after dying (for tests and logs). */
  restarts = 0;

  /** `script` is the thread's code (eval'd); tests pass their own. */
  constructor(
    size: number,
    private readonly orb: OrbOptions,
    private readonly script = BOOTSTRAP,
  ) {
    this.slots = [];
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn(i));
  }

  /** Resolves when every worker has loaded its models. */
  ready(): Promise<void> {
    return Promise.all(this.slots.map((s) => s.ready)).then(() => undefined);
  }

  run<T>(request: Request, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new Error('photo worker pool is closed'));
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ ...request, id }, transfer);
    }).finally(() => slot.busy--);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(index: number): Slot {
    const worker = new Worker(this.script, { eval: true, workerData: this.orb });
    worker.unref();
    let lastError: Error | undefined;
    const slot: Slot = { worker, busy: 0, loaded: false, ready: Promise.resolve() };
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on(
        'message',
        (msg: {
          id?: number;
          ready?: boolean;
          message?: string;
          result?: unknown;
          error?: { message: string; decode: boolean };
        }) => {
          if (msg.ready !== undefined) {
            slot.loaded = msg.ready;
            return msg.ready ? resolve() : reject(new Error(`photo worker: ${msg.message}`));
          }
          const pending = this.pending.get(msg.id!);
          if (!pending) return;
          this.pending.delete(msg.id!);
          if (msg.error) pending.reject(new PhotoWorkerError(msg.error.message, msg.error.decode));
          else pending.resolve(msg.result);
        },
      );
      worker.on('error', (err) => {
        lastError = err;
        reject(err);
      });
      worker.on('exit', (code) => {
        reject(new Error(`photo worker exited with code ${code}`));
        const reason = `photo worker stopped (${lastError?.message ?? `exit code ${code}`})`;
        for (const [id, pending] of this.pending)
          if (pending.slot === slot) {
            this.pending.delete(id);
            pending.reject(new PhotoWorkerCrash(reason));
          }
        // Replace a thread that had loaded its models; one that never could would only fail again.
        if (!this.closed && slot.loaded && this.slots[index] === slot) {
          this.restarts++;
          this.slots[index] = this.spawn(index);
        }
      });
    });
    slot.ready.catch(() => undefined);
    return slot;
  }
}
