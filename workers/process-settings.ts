/**
 * How the worker's process is started, wherever it is: `npm start` (scripts/start.ts), the bench and chaos stacks,
 * the Dockerfile's CMD and docker-compose's worker (test/ops/production-stack.test.ts keeps those two equal to these).
 * Why (bench/README.md "Open orders"): without them V8 lets each isolate (the main thread and the workflow thread)
 * grow to four times its live size and keeps 32 MB of young generation each, and glibc gives the SDK's native threads
 * an arena each.
 */
export const WORKER_NODE_FLAGS = [
  // Below 1 GB V8 lets the old generation grow to ~1.4x its live size before a full GC, not 4x. Per isolate.
  '--max-old-space-size=512',
  // 4 MB semi-spaces instead of 16 MB: scavenges are more frequent but each touches less memory.
  '--max-semi-space-size=4',
];

/** The worker's entry, started with plain `node` (no `--import tsx`): it loads tsx for its main thread only. */
export const WORKER_ENTRY = 'workers/launch.cjs';

/** glibc malloc arenas: two instead of eight per core for the SDK core's many threads. */
export const WORKER_PROCESS_ENV = { MALLOC_ARENA_MAX: '2' } as const;
