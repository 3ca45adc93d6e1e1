import { Runtime } from '@temporalio/worker';
import type { Config } from '../common/config';
import { createLogger, logProcessWarnings, sdkLogger, type Logger } from '../common/logging';

/**
 * The process-wide Temporal runtime: every SDK, workflow, activity and native core line leaves as JSON through one
 * logger; SIGINT and SIGTERM drain the workers.
 */
export function installRuntime(config: Config): Logger {
  const logger = createLogger('worker', { level: config.LOG_LEVEL });
  logProcessWarnings(logger);
  Runtime.install({
    logger: sdkLogger(logger),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN' } } },
  });
  return logger;
}
