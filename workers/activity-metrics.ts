import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { BusinessMetrics } from '../common/metrics';

/** Activity types whose failed attempts are business signals (by name, so activities stay free of metrics code). */
const CRM_ACTIVITY = /crm/i;
const NOTIFICATION_ACTIVITY = /^notify/i;
const CATALOG_REPORT_ACTIVITY = 'recordSyncReport';

type SyncReport = { kind: string; created: number; updated: number; disabled: number; failures: number };

/**
 * Counts, from outside the activities: every failed attempt of a CRM call or a notification, and each finished
 * catalog sync run with its changes (from the report it records once, by run id).
 */
export function activityMetricsInterceptor(metrics: BusinessMetrics): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const { activityType } = ctx.info;
        try {
          const result = await next(input);
          if (activityType === CATALOG_REPORT_ACTIVITY) countSyncReport(metrics, input.args[0]);
          // A notification the channel refused (blocked bot, unknown chat) is answered, not thrown.
          if (NOTIFICATION_ACTIVITY.test(activityType) && (result as { sent?: boolean } | undefined)?.sent === false) {
            metrics.notificationsFailed.inc({ activity: activityType });
          }
          return result;
        } catch (err) {
          if (CRM_ACTIVITY.test(activityType)) metrics.crmPushFailures.inc({ activity: activityType });
          if (NOTIFICATION_ACTIVITY.test(activityType)) metrics.notificationsFailed.inc({ activity: activityType });
          throw err;
        }
      },
    },
  });
}

function countSyncReport(metrics: BusinessMetrics, arg: unknown): void {
  const report = (arg as { report?: SyncReport } | undefined)?.report;
  if (!report) return;
  metrics.catalogSyncRuns.inc({ kind: report.kind, outcome: report.failures > 0 ? 'with_failures' : 'ok' });
  for (const change of ['created', 'updated', 'disabled'] as const) {
    if (report[change] > 0) metrics.catalogSyncProducts.inc({ change }, report[change]);
  }
}
