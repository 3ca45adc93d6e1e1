import { PhotoWorkerCrash, PhotoWorkerPool } from '../../search/local/worker-pool';

/** A stand-in thread: echoes, or dies the way a crashing decoder would (exit, or an uncaught throw). */
const SCRIPT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.op === 'exit') process.exit(3);
  if (m.op === 'throw') setImmediate(() => { throw new Error('decoder blew up'); });
  if (m.op === 'hang') return;
  if (m.op === 'echo') parentPort.postMessage({ id: m.id, result: m.value });
});
parentPort.postMessage({ ready: true });
`;

const orb = {} as ConstructorParameters<typeof PhotoWorkerPool>[1];
const run = (pool: PhotoWorkerPool, request: object) => pool.run<unknown>(request as never);

describe('photo worker pool', () => {
  let pool: PhotoWorkerPool;
  afterEach(() => pool?.close());

  test.each(['exit', 'throw'])(
    'a thread that dies (%s) fails only its own requests and is replaced; later requests are answered',
    async (death) => {
      pool = new PhotoWorkerPool(1, orb, SCRIPT);
      await pool.ready();
      expect(await run(pool, { op: 'echo', value: 1 })).toBe(1);
      const held = run(pool, { op: 'hang' });
      const killer = run(pool, { op: death });
      await expect(killer).rejects.toBeInstanceOf(PhotoWorkerCrash);
      await expect(held).rejects.toThrow(/photo worker stopped/);
      expect(pool.restarts).toBe(1);
      await pool.ready();
      const later = await Promise.all([1, 2, 3].map((value) => run(pool, { op: 'echo', value })));
      expect(later).toEqual([1, 2, 3]);
    },
  );

  test('with two threads, a crash in one leaves the other’s requests alone', async () => {
    pool = new PhotoWorkerPool(2, orb, SCRIPT);
    await pool.ready();
    const slow = run(pool, { op: 'hang' }); // the first thread
    const crash = run(pool, { op: 'exit' }); // the second, least busy
    await expect(crash).rejects.toBeInstanceOf(PhotoWorkerCrash);
    await expect(Promise.race([slow, new Promise((r) => setTimeout(() => r('still waiting'), 200))])).resolves.toBe(
      'still waiting',
    );
    await pool.ready();
    expect(await run(pool, { op: 'echo', value: 'ok' })).toBe('ok');
  });

  test('after close nothing is restarted and new requests are refused', async () => {
    pool = new PhotoWorkerPool(1, orb, SCRIPT);
    await pool.ready();
    await pool.close();
    expect(pool.restarts).toBe(0);
    await expect(run(pool, { op: 'echo', value: 1 })).rejects.toThrow(/closed/);
  });
});
