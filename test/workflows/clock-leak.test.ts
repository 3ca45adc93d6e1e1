import { Worker } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, releaseLeakedClockLocks, settlesWithin } from '../support/temporal';

/**
 * The order tests lean on releaseLeakedClockLocks (test/support/journey.ts endJourneys): a bill that ends after its
 * order closed leaves the test server's clock locked. If a newer server stops leaking, the first expectation fails
 * and the workaround can go.
 */
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(() => env?.teardown());

const skipsWithin = (duration: Duration, realMs: number) => settlesWithin(env.sleep(duration), realMs);

test('a child that ends after its parent closed locks the clock until the lock is given back', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'clock-leak',
    workflowsPath: require.resolve('../support/clock-leak-workflows'),
  });
  await worker.runUntil(async () => {
    expect(await releaseLeakedClockLocks(env)).toBe(0);
    await env.client.workflow.execute('parentThatLeaves', {
      taskQueue: 'clock-leak',
      workflowId: 'leaving-parent',
      args: ['lingering-child'],
    });
    await env.client.workflow.getHandle('lingering-child').result(); // the result call lets the clock run to its end

    // Locked, two seconds on the server's clock take two of real time.
    const before = Date.now();
    await env.sleep('2s');
    expect(Date.now() - before).toBeGreaterThanOrEqual(1_900);
    expect(await releaseLeakedClockLocks(env)).toBe(1);
    expect(await skipsWithin('10m', 3_000)).toBe(true);
  });
});
