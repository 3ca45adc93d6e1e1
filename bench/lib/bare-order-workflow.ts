/**
 * The ceiling's workflows (bench/ceiling.ts): an order's lifecycle with its shape and nothing else. The same update
 * (priced, with start), local activity (pricing), activities (22 per order with its payment, every one a no-op),
 * child workflow, signals (payment reports, the verdict, the callback's nudge, four CRM moves) and timers (the
 * main loop's and the bill's poll wait) as workflows/order.ts and workflows/kaspi-payment.ts.
 */
import {
  condition,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
} from '@temporalio/workflow';

export interface BareActivities {
  noop(what: string): Promise<void>;
  notify(orderId: string, event: string): Promise<void>;
}

export const bareUpdate = defineUpdate<string>('priced');
export const bareCrmSignal = defineSignal<[string]>('crmStatus');
export const barePaymentSignal = defineSignal<[string]>('paymentReport');
export const bareNudgeSignal = defineSignal('kaspiEvent');
export const bareVerdictSignal = defineSignal('verdict');

const acts = proxyActivities<BareActivities>({ startToCloseTimeout: '30s' });
const local = proxyLocalActivities<BareActivities>({ startToCloseTimeout: '30s' });
const MOVES: Record<string, string> = { AP: 'accepted', CO: 'assembled', DE: 'in_delivery', F: 'delivered' };

/**
 * `localRecords`: the record steps as local activities, as orders started with the `local-records` patch do
 * (BENCH_CEILING_SHAPE=local-records); without it, the order's shape when issue 13 set the ceiling.
 */
export async function bareOrderWorkflow(orderId: string, localRecords = false): Promise<string> {
  let priced = false;
  let status = 'new';
  const inbox: string[] = [];
  const lanes: Promise<unknown>[] = [];
  const lane = (...steps: (() => Promise<unknown>)[]) =>
    lanes.push(steps.reduce<Promise<unknown>>((previous, step) => previous.then(step), Promise.resolve()));
  setHandler(bareUpdate, async () => {
    await condition(() => priced);
    return status;
  });
  setHandler(bareCrmSignal, (crmStatus) => void inbox.push(crmStatus));
  setHandler(barePaymentSignal, (report) => void inbox.push(report));

  const record = (what: string) => (localRecords ? local.noop(what) : acts.noop(what));
  await local.noop('price');
  priced = true;
  await record('record order');
  lane(
    () => acts.noop('create CRM order'),
    () => record('record CRM id'),
  );
  const payment = `${orderId}-pay`;
  lane(() =>
    startChild(barePaymentWorkflow, {
      workflowId: payment,
      args: [orderId],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    }),
  );
  while (status !== 'delivered') {
    await condition(() => inbox.length > 0, '5m'); // the order's timer: payment deadline or next CRM poll
    for (const event of inbox.splice(0)) {
      if (event === 'requested') {
        lane(
          () => record('record status'),
          () => acts.notify(orderId, 'awaiting_payment'),
        );
        lane(() => record('record attention'));
      } else if (event === 'paid') {
        status = 'paid';
        lane(() => getExternalWorkflowHandle(payment).signal(bareVerdictSignal));
        lane(
          () => record('record status'),
          () => acts.notify(orderId, 'paid'),
        );
        lane(() => acts.noop('set CRM status'));
        lane(() => record('record attention'));
      } else if (MOVES[event]) {
        status = MOVES[event];
        lane(() => record('record status'));
        if (event === 'CO') lane(() => acts.noop('fetch the photo'));
        lane(() => acts.notify(orderId, event));
      }
    }
  }
  await Promise.all(lanes);
  return status;
}

export async function barePaymentWorkflow(orderId: string): Promise<string> {
  let nudged = false;
  let verdict = false;
  setHandler(bareNudgeSignal, () => void (nudged = true));
  setHandler(bareVerdictSignal, () => void (verdict = true));
  const order = getExternalWorkflowHandle(orderId);
  await acts.noop('request the bill');
  await order.signal(barePaymentSignal, 'requested');
  while (!nudged) await condition(() => nudged, '15s'); // the bill's poll timer
  await acts.noop('read the bill');
  await order.signal(barePaymentSignal, 'paid');
  await condition(() => verdict);
  await acts.noop('mark the payment kept');
  return 'kept';
}
