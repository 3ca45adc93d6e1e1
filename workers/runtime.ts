import { Runtime } from '@temporalio/worker';
import type { Config } from '../common/config';
import { createLogger, logProcessWarnings, sdkLogger, type Logger } from '../common/logging';

/**
 * The process-wide Temporal runtime: every SDK, workflow, activity and native core line leaves as JSON through one
 * logger; the SDK's metrics (task latencies, slots, sticky cache, poll results, activity failures...) are served for
 * Prometheus on WORKER_SDK_METRICS_PORT in Prometheus naming; SIGINT and SIGTERM drain the workers.
 */
export function installRuntime(config: Config): Logger {
  const logger = createLogger('worker', { level: config.LOG_LEVEL });
  logProcessWarnings(logger);
  Runtime.install({
    logger: sdkLogger(logger),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN' } },
      metrics: {
        metricPrefix: 'temporal_',
        globalTags: { service: 'cvety-orders-worker' },
        prometheus: {
          bindAddress: `${config.WORKER_LISTEN_HOST}:${config.WORKER_SDK_METRICS_PORT}`,
          countersTotalSuffix: true,
          unitSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
  return logger;
}
