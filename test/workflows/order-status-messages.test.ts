import { kaspiPaymentWorkflowId, orderWorkflowId } from '../../common/contract';
import { expectInvariants, fault, Journey } from '../support/journey';
import { statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

let system: TestSystem;
const current = useOrderSystem();
beforeAll(() => {
  system = current();
});

/** A workflow's activities in history order: their type and, for messages, the event and the steps they carry. */
async function activitiesOf(journey: Journey, workflowId = orderWorkflowId(journey.trackingId)): Promise<string[]> {
  const history = await system.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events!.flatMap((e) => {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (!scheduled) return [];
    const input = JSON.parse(Buffer.from(scheduled.input!.payloads![0].data!).toString()) as {
      event?: string;
      steps?: { kind: string; status?: string }[];
    };
    const steps = (input.steps ?? []).map((s) => s.status ?? s.kind).join('+');
    return [[scheduled.activityType!.name, input.event, steps].filter(Boolean).join(' ')];
  });
}

/** An order told to pay, then paid while Telegram answers its "paid" message with `code` (by `telegramFault`). */
async function paidMessageRefused(telegramFault: Record<string, unknown>, code: number): Promise<Journey> {
  const journey = new Journey(system);
  await journey.place();
  await journey.until(() => journey.messages().length === 1, 'told to pay');
  await fault(system.telegram.url, { route: 'sendMessage', ...telegramFault });
  await journey.pay();
  const refused = () => system.telegram.sent(journey.chatId).some((c) => c.errorCode === code);
  for (let i = 0; i < 100 && !refused(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(refused()).toBe(true);
  return journey;
}

const recordedStatus = async (journey: Journey) => {
  const row = await system.db.prisma.order.findUniqueOrThrow({
    where: { trackingId: journey.trackingId },
    include: { history: { orderBy: { at: 'asc' } } },
  });
  return { status: row.status, history: row.history.map((h) => h.status) };
};

describe("fewer round trips per order: a status with its message, the bill's calls in the tasks that ask (issue 13)", () => {
  test('a customer who reads each message: every status is written by its message, nothing by a second activity', async () => {
    const journey = new Journey(system);
    const told = (count: number) => () => journey.messages().length >= count;
    await journey.place();
    await journey.until(told(1), 'told to pay');
    await journey.pay();
    await journey.until(told(2), 'told it is paid');
    await journey.shop('AP');
    await journey.until(told(3), 'told it is accepted');
    await journey.shop('CO', 'http://127.0.0.1:1/assembled.jpg');
    await journey.until(told(4), 'told it is assembled');
    await journey.shop('DE');
    await journey.until(told(5), 'told it is on its way');
    await journey.shop('F');
    await journey.until(statusIs('delivered'), 'delivered');
    await journey.until(told(6), 'told it is delivered');

    const activities = await activitiesOf(journey);
    const carried = activities.filter((a) => a.startsWith('notifyWithSteps')).map((a) => a.split(' ')[1]);
    expect(carried).toEqual(expect.arrayContaining(['paid', 'accepted', 'assembled', 'in_delivery', 'delivered']));
    // The bill may be asked for before the CRM's id is written: then "please pay" finds the record lane busy and
    // its status goes through the lane, behind that write.
    const rodeFirst = carried[0] === 'awaiting_payment';
    expect(activities.filter((a) => a.startsWith('notifyCustomer'))).toEqual(
      rodeFirst ? [] : ['notifyCustomer awaiting_payment'],
    );
    expect(activities.filter((a) => a.startsWith('recordSteps') && a !== 'recordSteps crm')).toEqual(
      rodeFirst ? [] : [expect.stringMatching(/^recordSteps awaiting_payment/)],
    );
    // The payment's state rides with the message of the report that changed it.
    expect(activities).toContain('notifyWithSteps paid paid+attention');
    // The bill asked Kaspi, looked on the callback and marked the money kept as local activities: no activity task.
    const bill = kaspiPaymentWorkflowId(journey.trackingId, 1);
    expect(await activitiesOf(journey, bill)).toEqual([]);
    const markers = (await system.client.workflow.getHandle(bill).fetchHistory()).events!.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    );
    expect(markers.length).toBeGreaterThanOrEqual(3);
    expect(await recordedStatus(journey)).toEqual({
      status: 'delivered',
      history: ['new', 'awaiting_payment', 'paid', 'accepted', 'assembled', 'in_delivery', 'delivered'],
    });
    await expectInvariants(system, journey);
  }, 300_000);

  test('a message retried after a refusal keeps its place: the status that came meanwhile is written after it, not overwritten by the retry', async () => {
    // Telegram refuses the "paid" message once and asks for 3 s; the shop accepts the order in the meantime.
    const journey = await paidMessageRefused({ mode: 'error429', retryAfter: 3, count: 1 }, 429);
    await journey.shop('AP'); // real time: the retry is still 3 s away
    await journey.until(() => journey.messages().length === 3, 'told paid and accepted');

    const activities = await activitiesOf(journey);
    // The "paid" step rode with its message; "accepted", which came while it was on its way, rode behind it.
    expect(activities).toContain('notifyWithSteps paid paid+attention');
    expect(activities).toContain('notifyWithSteps accepted accepted');
    expect(activities.filter((a) => a === 'notifyCustomer accepted' || a.startsWith('recordSteps accepted'))).toEqual(
      [],
    );
    // Its retry wrote "paid" again (idempotent); "accepted", held behind it, stays the order's status.
    expect(await recordedStatus(journey)).toEqual({
      status: 'accepted',
      history: ['new', 'awaiting_payment', 'paid', 'accepted'],
    });
    expect(
      journey
        .texts()
        .slice(1)
        .map((t) => t.split('\n')[0]),
    ).toEqual([expect.stringMatching(/получена/), expect.stringMatching(/принял/)]);
    await expectInvariants(system, journey);
  }, 300_000);

  test('behind a message that failed for good, the next status goes alone: its message does not wait for the record lane, the statuses stay in order', async () => {
    // Telegram fails the "paid" message five times (every try it gets); the shop accepts the order meanwhile.
    const journey = await paidMessageRefused({ mode: 'error500', count: 5 }, 500);
    const refusals = () => system.telegram.sent(journey.chatId).filter((c) => c.errorCode === 500).length;
    await journey.shop('AP');
    const flagged = await journey.until(
      (v) => !!v.attention?.some((a) => a.key === 'notify:paid') && journey.messages().length === 2,
      'paid flagged, accepted told',
    );
    expect(flagged.status).toBe('accepted');
    expect(refusals()).toBe(5);

    const activities = await activitiesOf(journey);
    expect(activities).toContain('notifyWithSteps paid paid+attention');
    // The "paid" steps were written by their place in the record lane; "accepted" went alone, its steps after them.
    expect(activities).toContain('notifyCustomer accepted');
    // (The CRM's id, and "please pay" when it came while that write was on its way, go through the lane as ever.)
    const lane = activities.filter((a) => /^recordSteps (paid|accepted)/.test(a));
    expect(lane).toEqual([expect.stringMatching(/^recordSteps paid/), expect.stringMatching(/^recordSteps accepted/)]);
    expect(await recordedStatus(journey)).toEqual({
      status: 'accepted',
      history: ['new', 'awaiting_payment', 'paid', 'accepted'],
    });
    await expectInvariants(system, journey);
  }, 300_000);
});
