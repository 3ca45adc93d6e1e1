/**
 * Where the pipeline's latencies go, read from a sample of orders' histories: "create → please pay" (the order's and
 * its bill's events up to the first message's activity, from the order's start) and "CRM webhook → message" (the
 * order's events from each CRM signal to the message's activity), each event as its median time from the start.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { kaspiPaymentWorkflowId, orderWorkflowId } from '../../common/contract';
import { percentiles } from './stats';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const msOf = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

/** Labels as `order LocalActivity…`, `bill ActivityTaskScheduled requestKaspiPayment`: the first of each counts. */
function labelled(who: string, events: HistoryEvent[]): { label: string; at: number }[] {
  const activityOf = new Map<string, string>();
  return events.map((e) => {
    const type = temporal.api.enums.v1.EventType[e.eventType ?? 0].replace(/^EVENT_TYPE_/, '');
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) activityOf.set(String(e.eventId), scheduled.activityType?.name ?? '?');
    const ref =
      e.activityTaskStartedEventAttributes?.scheduledEventId ??
      e.activityTaskCompletedEventAttributes?.scheduledEventId;
    const activity = scheduled?.activityType?.name ?? (ref != null ? activityOf.get(String(ref)) : undefined);
    const signal = e.workflowExecutionSignaledEventAttributes?.signalName;
    return { label: `${who} ${type}${activity ? ` ${activity}` : ''}${signal ? ` ${signal}` : ''}`, at: msOf(e) };
  });
}

/** A message's activity: alone, or carrying its status's record (patch 'status-with-message'). */
const MESSAGE_SENT = /^order ACTIVITY_TASK_COMPLETED notify(Customer|WithSteps)$/;

/** Adds each label's first time after `from` (up to the next message) to `offsets`. */
function addChain(offsets: Map<string, number[]>, events: { label: string; at: number }[], from: number): void {
  const start = events[from].at;
  const seen = new Set<string>();
  for (const { label, at } of events.slice(from)) {
    if (seen.has(label)) continue;
    seen.add(label);
    offsets.set(label, [...(offsets.get(label) ?? []), at - start]);
    if (MESSAGE_SENT.test(label)) return;
  }
}

const medians = (offsets: Map<string, number[]>): Record<string, number> =>
  Object.fromEntries(
    [...offsets].map(([label, ms]) => [label, percentiles(ms).p50] as const).sort((a, b) => a[1] - b[1]),
  );

export async function latencyChains(
  client: Client,
  trackingIds: string[],
): Promise<{ firstMessage: Record<string, number>; crmWebhook: Record<string, number> }> {
  const first = new Map<string, number[]>();
  const webhook = new Map<string, number[]>();
  for (const trackingId of trackingIds) {
    const [order, bill] = await Promise.all(
      [orderWorkflowId(trackingId), kaspiPaymentWorkflowId(trackingId, 1)].map(
        async (id) => (await client.workflow.getHandle(id).fetchHistory()).events ?? [],
      ),
    );
    addChain(
      first,
      [...labelled('order', order), ...labelled('bill', bill)].sort((a, b) => a.at - b.at),
      0,
    );
    const ofOrder = labelled('order', order);
    ofOrder.forEach((e, i) => e.label.endsWith(' crmStatus') && addChain(webhook, ofOrder, i));
  }
  return { firstMessage: medians(first), crmWebhook: medians(webhook) };
}
