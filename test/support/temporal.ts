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

/** The time-skipping test server the project installed itself (scripts/setup.sh). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
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
