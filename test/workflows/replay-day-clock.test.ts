import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

/**
 * The delivery day's timer (the photo's approval timeout here) must be judged by the instant it was due, not by the
 * clock of the task that saw it fire: a worker taking over may replay that task at another clock (as in
 * replay-clock.test.ts for the main loop). This history's timeout task is replayed at the previous task's clock.
 */
type Event = { eventId: string; eventTime: string; eventType: string; [key: string]: unknown };
const file = path.resolve(__dirname, '../histories/v4-order-approval-timed-out-told.json');
const load = (): { events: Event[] } => JSON.parse(fs.readFileSync(file, 'utf8'));
const decoded = (e: Event) =>
  JSON.stringify(e).replace(/"data":"([^"]*)"/g, (_, d) => Buffer.from(d, 'base64').toString());

/** The clock of the task that saw the approval's timer fire, set back to the previous task's. */
function timeoutSeenAtEarlierClock(json: { events: Event[] }): { events: Event[] } {
  const events = json.events;
  const timedOut = events.findIndex((e) => e.eventType.endsWith('SCHEDULED') && decoded(e).includes('"timed_out"'));
  const fired = events.map((e) => e.eventType).lastIndexOf('EVENT_TYPE_TIMER_FIRED', timedOut);
  const started = (from: number, step: number) => {
    let i = from;
    while (events[i].eventType !== 'EVENT_TYPE_WORKFLOW_TASK_STARTED') i += step;
    return events[i];
  };
  started(fired, 1).eventTime = started(fired, -1).eventTime;
  return json;
}

/** The history as an order started before the patch would replay it: the marker names another, deprecated patch. */
function withoutTimerDuePatch(json: { events: Event[] }): { events: Event[] } {
  const marker = json.events.find((e) => decoded(e).includes('"delivery-day-timer-due"'))!;
  const text = JSON.stringify(marker).replace(/"data":"([^"]*)"/g, (whole, d) => {
    const plain = Buffer.from(d, 'base64').toString();
    return plain.includes('delivery-day-timer-due')
      ? `"data":"${Buffer.from(plain.replace('"delivery-day-timer-due","deprecated":false', '"another-patch","deprecated":true')).toString('base64')}"`
      : whole;
  });
  Object.assign(marker, JSON.parse(text));
  return json;
}

const replay = async (json: object) =>
  Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, historyFromJSON(json), 'replay-day-clock');

test('replays whatever the clock of the task that saw the timeout', async () => {
  await replay(load());
  await replay(timeoutSeenAtEarlierClock(load()));
});

test('without the patch (orders started before it) the same history replays only at the clock it was written with', async () => {
  // At the earlier clock the photo is not yet timed out: the loop starts a timer where the history published.
  await expect(replay(timeoutSeenAtEarlierClock(withoutTimerDuePatch(load())))).rejects.toThrow(/TMPRL1100.*Timer/);
  await replay(withoutTimerDuePatch(load()));
});
