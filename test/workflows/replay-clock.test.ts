import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

/**
 * A worker that takes over an order may apply a message at an earlier task's clock than a later replay does (the
 * two findings of `npm run chaos`, docs/reliability.md). The loop's commands must not depend on it: the paid order
 * of this history replays with the clock of the task that saw the payment moved back to the task before it.
 */
type Event = { eventId: string; eventTime: string; eventType: string; [key: string]: unknown };
const file = path.resolve(__dirname, '../histories/v3-order-paid-after-poll-time.json');
const load = (): { events: Event[] } => JSON.parse(fs.readFileSync(file, 'utf8'));
const decoded = (e: Event) =>
  JSON.stringify(e).replace(/"data":"([^"]*)"/g, (_, d) => Buffer.from(d, 'base64').toString());

/** The clock of the task that applied the payment, set back to the previous task's. */
function paidSeenAtEarlierClock(json: { events: Event[] }): { events: Event[] } {
  const events = json.events;
  const paid = events.findIndex((e) => e.eventType.endsWith('SIGNALED') && decoded(e).includes('"state":"paid"'));
  const started = (from: number, step: number) => {
    let i = from;
    while (events[i].eventType !== 'EVENT_TYPE_WORKFLOW_TASK_STARTED') i += step;
    return events[i];
  };
  started(paid, 1).eventTime = started(paid, -1).eventTime;
  return json;
}

/** The history as an order started before the patch would replay it: the marker names another, deprecated patch. */
function withoutPollOnTimerPatch(json: { events: Event[] }): { events: Event[] } {
  const marker = json.events.find((e) => decoded(e).includes('crm-poll-on-timer'))!;
  const text = JSON.stringify(marker).replace(/"data":"([^"]*)"/g, (whole, d) => {
    const plain = Buffer.from(d, 'base64').toString();
    return plain.includes('crm-poll-on-timer')
      ? `"data":"${Buffer.from(plain.replace('"crm-poll-on-timer","deprecated":false', '"another-patch","deprecated":true')).toString('base64')}"`
      : whole;
  });
  Object.assign(marker, JSON.parse(text));
  return json;
}

const replay = async (json: object) =>
  Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, historyFromJSON(json), 'replay-clock');

test('paid after the poll was due: the loop starts its timer first (the CRM read follows TimerFired)', () => {
  const types = load().events.map((e) => e.eventType.replace('EVENT_TYPE_', ''));
  const read = load().events.findIndex((e) => decoded(e).includes('getCrmOrder'));
  expect(types.slice(0, read).lastIndexOf('TIMER_FIRED')).toBeGreaterThan(types.lastIndexOf('TIMER_STARTED', read));
});

test('replays whatever the clock of the task that saw the payment', async () => {
  await replay(load());
  await replay(paidSeenAtEarlierClock(load()));
});

test('without the patch (orders started before it) the same history replays only at the clock it was written with', async () => {
  // The read-or-timer choice hangs on the task's clock: the root cause of the two findings.
  await expect(replay(withoutPollOnTimerPatch(load()))).rejects.toThrow(/TMPRL1100.*TimerStarted/);
  await replay(paidSeenAtEarlierClock(withoutPollOnTimerPatch(load())));
});
