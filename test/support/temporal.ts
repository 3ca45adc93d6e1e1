import type { ConnectionPlugin } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { registerSearchAttributes } from '../../common/search-attributes';
import { temporalTestServerPath } from '../../common/temporal-binaries';
import { workflowBundleOptions } from '../../workers/workflow-bundle';

// Activity failures are expected in these tests; only errors are worth printing.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { forward: {}, filter: 'ERROR' } },
});

/**
 * The Java test server lets a client ping at most every 5 minutes; the client's default keepalive (30 s) makes it
 * close the connection ("excess pings") once a test file has run a minute or two, cutting a call in flight: on a
 * loaded CI machine a journey then waited forever. Loopback needs no keepalive.
 */
const testServerKeepalive: ConnectionPlugin = {
  name: 'test-server-keepalive',
  configureConnection: (options) => ({
    ...options,
    channelArgs: {
      ...options.channelArgs,
      'grpc.keepalive_time_ms': 3_600_000,
      'grpc.keepalive_permit_without_calls': 0,
    },
  }),
};

/** The time-skipping test server the project installed itself (scripts/setup.sh). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
    plugins: [testServerKeepalive],
  });
  await registerSearchAttributes(env.connection, 'default');
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Workflow code bundled once per test file: bundling is the slow part of creating a worker. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode(workflowBundleOptions({ logger: quietLogger }));
  return bundle;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

/**
 * Gives back the clock locks the Java time-skipping server leaked, and returns how many. It locks its clock while
 * an activity or workflow task is in flight and while a child's end is being told to its parent, and unlocks when
 * that is done; a workflow terminated with an activity in flight, or a parent that closed before its child ended
 * (our bills outlive their orders), never unlocks, and from then on the server's time passes only in real time (a
 * skip of 10 minutes takes 10). Call it only once every workflow of the test has closed: any lock left is a leak
 * (a clock that does not skip 30 s within 10 s of real time is held).
 */
export async function releaseLeakedClockLocks(env: TestWorkflowEnvironment, maxLeaks = 20): Promise<number> {
  if (!env.supportsTimeSkipping) return 0;
  const woke = env.sleep('30s');
  for (let released = 0; released <= maxLeaks; released++) {
    if (await settlesWithin(woke, 10_000)) return released;
    await env.connection.testService!.unlockTimeSkipping({});
  }
  throw new Error(`the time-skipping server's clock still does not skip after ${maxLeaks} locks given back`);
}

/** Whether `promise` resolves within `realMs` of real time (it keeps running either way). */
export async function settlesWithin(promise: Promise<unknown>, realMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), realMs)));
  const settled = await Promise.race([promise.then(() => true), late]);
  clearTimeout(timer);
  return settled;
}
