import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  metricMeter,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { kaspiPaymentSummary, kaspiPaymentWorkflowId, orderWorkflowId, type OrderStatus } from '../common/contract';
import { REPEAT_BILL_WINDOW_MS, type CancelReason, type OrderInput, type OrderView } from '../common/order';
import type { RecordStep } from '../activities/order-records';
import { kaspiPaymentWorkflow } from './kaspi-payment';
import { DELIVERY_DAY_PATCH, DeliveryDay, noDeliveryDay } from './delivery-day';
import { deliveryDaySteps } from './delivery-day-steps';
import { describeFailure, Lane } from './lane';
import { legacyOrderWorkflow } from './legacy/order';
import {
  answerApprovalUpdate,
  cancelUpdate,
  crmStatusSignal,
  paymentReportSignal,
  pricedUpdate,
  rateOrderUpdate,
  requestNewPaymentUpdate,
  statusQuery,
  verdictSignal,
  withdrawSignal,
  type PaymentReport,
} from './messages';
import {
  crmPoll,
  crmProxy,
  laneRecords,
  localLaneRecords,
  localRecords,
  notifications,
  pricing,
  records,
  refunds,
} from './order-activities';
import { SteadyTimer } from './steady-timer';
import { timingsOf } from './timings';
import { OrderState, type OrderMemory, type PaymentAttempt } from './order-state';
import { orderSearchAttributes as sa } from './search-attributes';

/** Orders started before this patch run the first version (workflows/legacy) to the end. */
export const EXACTLY_ONCE_PATCH = 'exactly-once';
/**
 * Orders started before this patch may poll the CRM at once when a message wakes the main loop past its poll time;
 * later ones poll only when a timer fires (see the main loop).
 */
export const POLL_ON_TIMER_PATCH = 'crm-poll-on-timer';
/** Orders started before this patch upsert their search attributes and memo on every publish. */
export const PUBLISH_ONCE_PATCH = 'publish-once';
/** Before this patch every "new bill" update sent one; after it, one just sent to that phone answers a repeat. */
export const NEW_PAYMENT_ONCE_PATCH = 'new-payment-once';
/** The order's own database writes as local activities. */
export const LOCAL_RECORDS_PATCH = 'local-records';
/**
 * The lanes' writes as ordinary activities again (only `recordOrder` stays local): a lane write may retry for an
 * hour, and a local activity that retries holds the workflow task open, which under load reordered its markers
 * against the lane's next writes (a nondeterminism error on replay) and held the test server's clock.
 */
export const LANE_RECORDS_ACTIVITIES_PATCH = 'lane-records-activities';
/**
 * Fewer events per order: the record lane's writes that wait together go as one activity, and the Web UI's summary
 * (memo) leaves the status to its search attribute, so a status change no longer rewrites it.
 */
export const LEAN_STEPS_PATCH = 'lean-steps';
/** The main loop keeps its timer while the deadline stays (workflows/steady-timer.ts). */
export const STEADY_TIMER_PATCH = 'steady-timer';
/**
 * A status change's record rides with its message as one activity (activities/status-messages.ts) when neither lane
 * has anything waiting: one activity, its events and a workflow task fewer per status change.
 */
export const STATUS_WITH_MESSAGE_PATCH = 'status-with-message';
/**
 * A status rides with its message also when the lanes hold nothing but earlier rides (a status the shop sends while
 * the last message is still on its way): its message queues behind theirs, and its activity waits until the record
 * lane has passed their places.
 */
export const RIDES_IN_LINE_PATCH = 'rides-in-line';

const recordKey = (step: RecordStep): string => `record:${step.kind === 'status' ? step.status : step.kind}`;

/** The florist's photo goes with "assembled", or with a later message if it came late. */
const PHOTO_EVENTS = new Set<string>(['assembled', 'in_delivery', 'delivered']);
const HISTORY_LIMIT = 8_000;

export type OrderWorkflowInput = OrderInput & { memory?: OrderMemory };

/** One customer order, from pricing to delivery or cancellation. */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderView> {
  if (!patched(EXACTLY_ONCE_PATCH)) return legacyOrderWorkflow(input);

  const order = new OrderState(input, new Date());
  const pace = timingsOf(input.settings.timings);
  const crm = crmProxy(pace.crmGiveUpMs);
  const attentionCounter = metricMeter.createCounter('cvety_order_attention', 'problems', 'Problems flagged on orders');
  const chat = { chatId: input.customer.telegramChatId, language: input.customer.language ?? 'ru' };
  const flagOnly = (key: string, reason: string): void => {
    if (order.flag(key, reason, new Date())) attentionCounter.add(1, { kind: key.split(':')[0] });
    publish();
  };
  const flag = (key: string, reason: string): void => {
    flagOnly(key, reason);
    recordAttention();
  };
  // Separate lanes: a stuck CRM or database never holds back the customer's messages, nor the other way round.
  const crmLane = new Lane('crm', flag);
  const recordLane = new Lane('records', flagOnly); // recording its own failure through itself could loop
  const customerLane = new Lane('customer', flag);
  const paymentLane = new Lane('payments', flag);
  const moneyLane = new Lane('refunds', flag);
  const lanes = [crmLane, recordLane, customerLane, paymentLane, moneyLane];
  let version = 0; // bumped by every message, so the main loop re-reads its timers
  // Approval, reminder and rating: only for orders started with this version and configured for it.
  const settingsOfDay = patched(DELIVERY_DAY_PATCH) ? input.settings.deliveryDay : undefined;
  const reminderAt = input.deliveryReminderAt ? Date.parse(input.deliveryReminderAt) : undefined;
  const day = settingsOfDay
    ? new DeliveryDay(order, settingsOfDay, input.customer.telegramUserId, reminderAt)
    : undefined;
  const steps =
    day &&
    deliveryDaySteps({
      ...{ day, order, trackingId: input.trackingId, chatId: chat.chatId, crm, crmLane, recordLane },
      ...{ notify, publish, applyCrm, wake: () => void version++ },
    });
  const askApproval = (): boolean => steps?.askApproval() ?? false;

  // The order's first write as a local activity: one round trip less before the customer's answer.
  const localWrites = patched(LOCAL_RECORDS_PATCH);
  const laneWritesAreActivities = !localWrites || patched(LANE_RECORDS_ACTIVITIES_PATCH);
  const writes = {
    records: localWrites ? localRecords : records,
    laneRecords: laneWritesAreActivities ? laneRecords : localLaneRecords,
  };
  const lean = localWrites && laneWritesAreActivities && patched(LEAN_STEPS_PATCH);
  const statusWithMessage = lean && patched(STATUS_WITH_MESSAGE_PATCH);
  const ridesInLine = statusWithMessage && patched(RIDES_IN_LINE_PATCH);
  // Each upsert is a history event and a visibility write on the server: once per activation, and only a change.
  const publishOnce = patched(PUBLISH_ONCE_PATCH);
  const published = { queued: false, attributes: '', summary: '' };
  function publish(): void {
    setCurrentDetails([order.details(), day?.details()].filter(Boolean).join('\n'));
    if (!publishOnce) return upsertVisible();
    if (published.queued) return;
    published.queued = true;
    // Runs after the rest of this activation's code, before its commands go to the server.
    void Promise.resolve().then(() => {
      published.queued = false;
      upsertVisible();
    });
  }
  function upsertVisible(): void {
    const attributes = [
      { key: sa.status, value: order.view.status },
      { key: sa.paymentState, value: order.view.payment.status },
      { key: sa.needsAttention, value: order.needsAttention },
      ...(day ? [{ key: sa.customerWait, value: day.wait }] : []),
    ];
    const seen = JSON.stringify(attributes.map((a) => a.value));
    if (!publishOnce || seen !== published.attributes) upsertSearchAttributes(attributes);
    published.attributes = seen;
    const summary = order.summary({ withStatus: !lean });
    if (!publishOnce || summary !== published.summary) upsertMemo({ summary });
    published.summary = summary;
  }
  function recordAttention(): void {
    publish();
    const snapshot = { paymentState: order.view.payment.status, attention: [...order.view.attention!] };
    record({ kind: 'attention', ...snapshot });
  }
  /** One write on the record lane; under LEAN_STEPS_PATCH the writes waiting together go as one batch. */
  const waitingSteps: RecordStep[] = [];
  function record(step: RecordStep): void {
    if (!lean) return recordLane.run(recordKey(step), () => writeAlone(step));
    if (ride && !ride.started) return void ride.steps.push(step); // the message about to go takes it along
    waitingSteps.push(step);
    if (waitingSteps.length > 1) return; // the batch already queued on the lane takes it too
    recordLane.run('record:batch', () => writeBatch(waitingSteps.splice(0)));
  }
  async function writeBatch(steps: RecordStep[]): Promise<void> {
    try {
      const { refused } = await laneRecords.recordSteps({ trackingId: input.trackingId, steps });
      for (const { step, reason } of refused) flagOnly(recordKey(steps[step]), reason);
    } catch (err) {
      log.warn('record batch failed', { error: describeFailure(err), steps: steps.map(recordKey) });
      for (const failed of steps) flagOnly(recordKey(failed), describeFailure(err)); // gave up after retrying
    }
  }
  /**
   * Steps riding with a status message (STATUS_WITH_MESSAGE_PATCH). The record lane holds a place for them until the
   * message's activity ends, so later writes never overtake them (the price: while that message retries, the lane's
   * next writes wait); if the message did not carry them (skipped, failed for good, or they came back unwritten),
   * the lane writes them itself in that place.
   */
  type Ride = {
    steps: RecordStep[];
    started: boolean;
    settle: (carried: boolean) => void;
    /** Set when its message's step has ended: whether the message's activity wrote the steps. */
    carried?: boolean;
    /** The ride before it and that ride's place, while the record lane holds it (RIDES_IN_LINE_PATCH). */
    before?: Ride;
    after?: Promise<void>;
  };
  let ride: Ride | undefined;
  const rides = { messages: 0, places: 0, lastPlace: undefined as Promise<void> | undefined };
  function rideWithMessage(step: RecordStep): Ride {
    let resolveCarried: (carried: boolean) => void = () => undefined;
    const carriedByMessage = new Promise<boolean>((resolve) => (resolveCarried = resolve));
    const inLine = ridesInLine && rides.lastPlace !== undefined;
    const joined: Ride = {
      steps: [step],
      started: false,
      settle: (carried) => {
        joined.carried = carried;
        resolveCarried(carried);
      },
      ...(inLine && { before: ride, after: rides.lastPlace }),
    };
    ride = joined;
    rides.messages++;
    rides.places++;
    const place = new Promise<void>((placed) =>
      recordLane.run('record:ride', async () => {
        try {
          if (!(await carriedByMessage)) await writeBatch(joined.steps);
        } finally {
          rides.places--;
          if (rides.lastPlace === place) rides.lastPlace = undefined;
          placed();
        }
      }),
    );
    rides.lastPlace = place;
    return joined;
  }
  /** Whether a status may ride with its message: the lanes hold nothing but earlier rides (before RIDES_IN_LINE_PATCH, nothing). */
  function mayRide(): boolean {
    if (!statusWithMessage || !chat.chatId) return false;
    if (!ridesInLine) return customerLane.idle && recordLane.idle;
    return customerLane.size === rides.messages && recordLane.size === rides.places;
  }
  /** One write as its own activity, as orders started before LEAN_STEPS_PATCH make them. */
  function writeAlone(step: RecordStep): Promise<void> {
    const trackingId = input.trackingId;
    if (step.kind === 'status') return writes.laneRecords.recordStatus({ ...step, trackingId });
    if (step.kind === 'crm') return writes.laneRecords.recordCrm({ trackingId, crm: step.crm });
    return writes.laneRecords.recordAttention({ ...step, trackingId });
  }
  function notify(
    event: Parameters<typeof notifications.notifyCustomer>[0]['event'],
    key: string = event,
    riding?: Ride,
  ): void {
    if (!chat.chatId) return;
    customerLane.run(`notify:${key}`, async () => {
      let carried = false;
      // Behind a ride whose message did not carry its steps (their place writes them, maybe for long), this message
      // goes alone and its steps follow in its own place: no message waits for a database write. The ride before
      // has ended: this lane runs in order.
      const alone = riding?.before?.carried === false;
      if (riding && alone) riding.started = true;
      try {
        // A ride's steps are written after those of the ride before it; the order is then read as it is now.
        if (riding?.after && !alone) await riding.after;
        // With approval, the photo and its buttons are the "assembled" news.
        if (event === 'assembled' && day && (askApproval() || order.view.approval)) return;
        // The order as it is when the message goes: the photo fetched just before, the buttons still valid.
        const withPhoto =
          event === 'approval_request' ||
          (!!order.view.assembledPhotoUrl && !order.photoShown && PHOTO_EVENTS.has(event));
        const message = { ...chat, event, key, order: order.view, withPhoto };
        let outcome;
        if (riding && !alone) {
          riding.started = true;
          const steps = riding.steps;
          const result = await notifications.notifyWithSteps({ ...message, trackingId: input.trackingId, steps });
          carried = !result.unwritten;
          for (const { step, reason } of result.refused) flagOnly(recordKey(steps[step]), reason);
          outcome = result.outcome;
        } else ({ outcome } = await notifications.notifyCustomer(message));
        if (withPhoto && outcome !== 'skipped') order.photoShown = true;
        if (outcome === 'in_doubt')
          flag(`notify:${key}`, 'Telegram may not have shown the message (its answer was lost)');
      } finally {
        if (riding) {
          riding.started = true;
          riding.before = undefined; // ended: nothing behind this one needs it
          rides.messages--;
          riding.settle(carried);
        }
      }
    });
  }
  function changed(status: OrderStatus): void {
    publish();
    const { cancelReason, assembledPhotoUrl } = order.view;
    const at = new Date(order.view.history[order.view.history.length - 1].at);
    const step: RecordStep = { kind: 'status', status, at, cancelReason, assembledPhotoUrl };
    // Only when nothing but other rides waits on either lane: the write waits for no message but its own (and its
    // photo) and those of the statuses before it.
    const ridesNow = mayRide();
    if (!ridesNow) record(step);
    if (status === 'assembled' && !order.view.assembledPhotoUrl) {
      customerLane.run('crm:photo', fetchAssembledPhoto); // the webhook carries no photo: the CRM's detail has it
    }
    notify(status, status, ridesNow ? rideWithMessage(step) : undefined);
  }
  async function fetchAssembledPhoto(): Promise<void> {
    const crmOrderId = order.view.crm.orderId;
    if (!crmOrderId) return;
    const detail = await crmPoll.getCrmOrder(crmOrderId).catch(() => undefined);
    if (detail?.assembledImage) order.view.assembledPhotoUrl = detail.assembledImage;
  }
  const signalPayment = (a: PaymentAttempt, send: (id: string) => Promise<void>): void =>
    paymentLane.run(`payment:${a.attempt}`, () =>
      // A request that has already ended needs no word from the order.
      send(kaspiPaymentWorkflowId(input.trackingId, a.attempt)).catch((err: unknown) => {
        if (!/not found/i.test(String(err))) throw err;
      }),
    );

  function startPayment(phone: string): void {
    const attempt = order.newAttempt(phone);
    attempt.askedAt = Date.now();
    order.paymentDeadline = Date.now() + input.settings.paymentDeadlineMs;
    publish();
    paymentLane.run(`payment:${attempt.attempt}`, () =>
      startChild(kaspiPaymentWorkflow, {
        workflowId: kaspiPaymentWorkflowId(input.trackingId, attempt.attempt),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // Metadata only (not compared on replay): what the Web UI shows for the child.
        staticSummary: kaspiPaymentSummary(input.trackingId, attempt.attempt),
        staticDetails: `${order.view.totalKopecks / 100} ₸, payable for ${Math.round(input.settings.paymentDeadlineMs / 60_000)} min`,
        args: [
          {
            trackingId: input.trackingId,
            orderWorkflowId: orderWorkflowId(input.trackingId),
            attempt: attempt.attempt,
            phone,
            amountKopecks: order.view.totalKopecks,
            payableMs: input.settings.paymentDeadlineMs,
            lateWatchMs: input.settings.latePaymentWatchMs,
            timings: input.settings.timings,
          },
        ],
      }),
    );
  }

  /** Takes effect at once, wherever the main flow is: later CRM moves and payments see a cancelled order. */
  function cancel(by: CancelReason): void {
    if (order.finished) return;
    const kept = order.keptAttempt;
    for (const a of order.openAttempts()) {
      a.state = 'withdrawn';
      signalPayment(a, (id) => getExternalWorkflowHandle(id).signal(withdrawSignal));
    }
    if (order.view.payment.status === 'requesting' || order.view.payment.status === 'requested') {
      order.view.payment.status = 'expired';
    }
    order.markCancelled(by, new Date());
    changed('cancelled');
    if (kept?.externalId) refund(kept);
    if (by !== 'shop') {
      crmLane.run('crm:cancel', async () => {
        const id = order.view.crm.orderId;
        if (id) await crm.setCrmStatus({ crmOrderId: id, status: kept ? 'RF' : 'UN' });
      });
    }
  }

  function refund(a: PaymentAttempt): void {
    order.view.payment.status = 'refund_pending';
    moneyLane.run(`refund:${a.attempt}`, async () => {
      const { refundedKopecks } = await refunds.refundPayment({
        trackingId: input.trackingId,
        externalId: a.externalId!,
        amountKopecks: order.view.totalKopecks,
      });
      a.state = 'returned';
      order.view.payment.refundedKopecks = (order.view.payment.refundedKopecks ?? 0) + refundedKopecks;
      order.view.payment.status = 'refunded';
      recordAttention();
      notify('refunded', `refunded:${a.attempt}`);
    });
  }

  function onPaymentReport(report: PaymentReport): void {
    const a = order.attempt(report.attempt);
    if (!a) return;
    const current = a === order.currentAttempt && order.awaitingPayment;
    const now = new Date();
    switch (report.state) {
      case 'requested': {
        a.externalId = report.externalId;
        order.resolve(`payment:${a.attempt}`, now);
        if (report.recordError)
          flag(`record:payment:${a.attempt}`, `the bill exists but its row failed: ${report.recordError}`);
        if (a.state !== 'requesting' && a.state !== 'in_doubt') break;
        a.state = 'requested';
        if (!current) break;
        order.view.payment = { ...order.view.payment, status: 'requested', externalId: report.externalId };
        order.view.payment.deadline = new Date(order.paymentDeadline!).toISOString();
        if (order.advance('awaiting_payment', now)) changed('awaiting_payment');
        else notify('awaiting_payment', `awaiting_payment:${a.attempt}`); // a new request to another number
        break;
      }
      case 'in_doubt':
        if (a.state === 'requesting') a.state = 'in_doubt';
        if (current) order.view.payment.status = 'in_doubt';
        flag(
          `payment:${a.attempt}`,
          `Kaspi request ${input.trackingId}:${a.attempt} may have been sent (${report.reason}); find it in Kaspi, then ` +
            `signal settleInDoubt to ${kaspiPaymentWorkflowId(input.trackingId, a.attempt)}`,
        );
        break;
      case 'paid': {
        a.externalId = report.externalId;
        const keep = a.state === 'kept' || order.claims(a);
        signalPayment(a, (id) => getExternalWorkflowHandle(id).signal(verdictSignal, { keep }));
        if (!keep || a.state === 'kept') break;
        a.state = 'kept';
        order.view.payment = {
          ...order.view.payment,
          status: 'paid',
          externalId: a.externalId,
          paidKopecks: order.view.totalKopecks,
        };
        order.advance('paid', now);
        changed('paid');
        crmLane.run('crm:paid', async () => {
          const id = order.view.crm.orderId;
          if (id) await crm.setCrmStatus({ crmOrderId: id, status: 'PD' });
        });
        // The shop may have moved on while the money was on its way: catch up with what the CRM said.
        if (order.view.crm.status) applyCrm(order.view.crm.status);
        break;
      }
      case 'refused':
      case 'failed':
        if (a.state !== 'withdrawn') a.state = report.state;
        if (current) {
          order.view.payment.status = 'failed';
          cancel('payment_failed');
        }
        break;
      case 'refunded':
        a.state = 'returned';
        order.view.payment.refundedKopecks = (order.view.payment.refundedKopecks ?? 0) + report.refundedKopecks;
        notify('refunded', `refunded:${a.attempt}`);
        break;
      case 'expired':
        if (a.state === 'requested' || a.state === 'withdrawn') a.state = 'expired';
        break;
    }
    recordAttention();
  }

  function applyCrm(status: string, assembledImage?: string): void {
    if (day?.holds(status)) {
      // The courier waits for the customer's answer: noted, applied once the photo is approved.
      order.view.crm.status = status;
      if (assembledImage) order.view.assembledPhotoUrl = assembledImage;
      askApproval();
      return;
    }
    const outcome = order.onCrmStatus(status, assembledImage, new Date());
    if (outcome && 'moved' in outcome) changed(outcome.moved);
    else if (outcome && 'cancelled' in outcome) cancel('shop');
    else if (outcome) flag('crm:conflict', outcome.conflict);
    askApproval(); // the florist's new photo after a change request asks again
  }

  setHandler(statusQuery, () => order.view);
  setHandler(pricedUpdate, async () => {
    await condition(() => order.priced || order.rejection !== undefined);
    if (order.rejection) throw order.rejection;
    return order.view;
  });
  setHandler(
    cancelUpdate,
    (_request) => {
      cancel('customer');
      version++;
      return order.view;
    },
    { validator: (_request) => order.assertCancellable() },
  );
  setHandler(
    requestNewPaymentUpdate,
    ({ phone }) => {
      if (order.freshBillTo(phone, Date.now(), REPEAT_BILL_WINDOW_MS) && patched(NEW_PAYMENT_ONCE_PATCH)) {
        return order.view;
      }
      for (const a of order.openAttempts()) {
        a.state = 'withdrawn';
        signalPayment(a, (id) => getExternalWorkflowHandle(id).signal(withdrawSignal));
      }
      startPayment(phone);
      version++;
      return order.view;
    },
    {
      validator: ({ phone }) => {
        order.assertPayable();
        if (!/^\+7\d{10}$/.test(phone)) {
          throw ApplicationFailure.create({
            type: 'InvalidOrder',
            message: 'phone must look like +77011234567',
            nonRetryable: true,
          });
        }
      },
    },
  );
  setHandler(
    answerApprovalUpdate,
    (answer) => {
      steps!.answer(answer);
      return order.view;
    },
    { validator: (answer) => (day ?? noDeliveryDay()).assertAnswerable(answer) },
  );
  setHandler(
    rateOrderUpdate,
    (answer) => {
      steps!.rate(answer);
      return order.view;
    },
    { validator: (answer) => (day ?? noDeliveryDay()).assertRatable(answer) },
  );
  setHandler(crmStatusSignal, ({ status, assembledImage }) => {
    applyCrm(status, assembledImage);
    version++;
  });
  setHandler(paymentReportSignal, (report) => {
    onPaymentReport(report);
    version++;
  });

  if (input.memory) {
    order.restore(input.memory);
    if (day) day.reminded = !!input.memory.deliveryReminded;
    publish();
  } else if (input.resume) {
    order.adoptFirstVersion(input.resume); // a first-version order that continued as new
    publish();
  } else {
    try {
      order.applyPricing(await pricing.priceOrder(input));
    } catch (err) {
      order.rejection = businessFailure(err);
      await condition(allHandlersFinished);
      throw order.rejection;
    }
    await writes.records.recordOrder({ input, priced: order.view });
    upsertSearchAttributes([
      { key: sa.trackingId, value: input.trackingId },
      ...(input.customerPhoneHash ? [{ key: sa.customerPhoneHash, value: input.customerPhoneHash }] : []),
      { key: sa.deliveryDate, value: new Date(`${input.delivery.date}T00:00:00+05:00`) },
      { key: sa.total, value: order.view.totalKopecks },
    ]);
    // No "order received" message: the bot has just said so; the payment request follows at once.
    crmLane.run('crm:create', async () => {
      const { crmOrderId } = await crm.createCrmOrder({ input, priced: order.view });
      order.view.crm = { orderId: crmOrderId, status: order.view.crm.status ?? 'N' };
      record({ kind: 'crm', crm: order.view.crm });
    });
    startPayment(input.customer.phone);
  }

  const pollOnTimer = patched(POLL_ON_TIMER_PATCH);
  const steadyTimer = pollOnTimer && lean && patched(STEADY_TIMER_PATCH) ? new SteadyTimer() : undefined;
  let nextCrmPoll = Date.now() + pace.crmPollMs;
  while (!order.finished) {
    const seen = version;
    const now = Date.now();
    const reminderAt = reminderDue();
    const dayAt = day ? Math.min(day.approvalDeadline ?? Infinity, day.reminderDue ?? Infinity) : Infinity;
    const wakeAt = order.awaitingPayment
      ? Math.min(order.paymentDeadline ?? Infinity, reminderAt ?? Infinity)
      : Math.min(nextCrmPoll, dayAt);
    const woken = () => version !== seen || order.finished;
    if (wakeAt === Infinity) {
      steadyTimer?.cancel();
      await condition(woken);
      continue;
    }
    const summary = order.awaitingPayment
      ? `wait for the payment until ${new Date(wakeAt).toISOString()}`
      : wakeAt < nextCrmPoll
        ? `wait for the customer or the delivery-day reminder until ${new Date(wakeAt).toISOString()}`
        : `wait for the shop; next CRM poll ${new Date(wakeAt).toISOString()}`;
    if (steadyTimer) {
      if (!(await steadyTimer.wait(wakeAt, woken, summary))) continue;
    } else if (pollOnTimer) {
      // Timer or poll must not hang on the clock: a worker taking over may see a message at another task's time.
      if (await condition(woken, Math.max(wakeAt - now, 1), { summary })) continue;
    } else if (wakeAt > now && (await condition(woken, wakeAt - now, { summary }))) continue;
    // The timer fired, so wakeAt has come: what is due follows from the history, not from this task's clock.
    const reached = pollOnTimer ? wakeAt : Date.now();
    if (order.awaitingPayment) {
      if (order.paymentDeadline !== undefined && reached >= order.paymentDeadline) cancel('payment_expired');
      else if (reminderAt !== undefined && reached >= reminderAt) {
        order.remindedAttempt = order.currentAttempt?.attempt;
        notify('payment_reminder', `payment_reminder:${order.remindedAttempt}`);
      }
      continue;
    }
    if (steps && reached >= dayAt) {
      steps.onTimer(reached);
      if (reached < nextCrmPoll) continue;
    }
    nextCrmPoll = Math.max(reached, Date.now()) + pace.crmPollMs; // the clock sets only the next timer's length
    const crmOrderId = order.view.crm.orderId;
    if (crmOrderId) {
      const detail = await crmPoll.getCrmOrder(crmOrderId).catch(() => undefined); // the next poll tries again
      if (detail) applyCrm(detail.status, detail.assembledImage);
    }
    const info = workflowInfo();
    if (
      !order.finished &&
      (info.continueAsNewSuggested || info.historyLength > (input.settings.continueAsNewAfterEvents ?? HISTORY_LIMIT))
    ) {
      // Handlers never wait on the main flow, and lanes finish on their own: the whole state goes to the next run.
      await condition(() => lanes.every((l) => l.idle) && allHandlersFinished());
      if (!order.finished)
        await continueAsNew<typeof orderWorkflow>({
          ...input,
          resume: undefined,
          memory: { ...order.memory(), ...(day?.reminded && { deliveryReminded: true }) },
        });
    }
  }
  steadyTimer?.cancel();
  await steps?.collectRating();
  await condition(() => lanes.every((l) => l.idle) && allHandlersFinished());
  return order.view;

  function reminderDue(): number | undefined {
    const before = input.settings.paymentReminderBeforeMs;
    const a = order.currentAttempt;
    if (!before || !order.paymentDeadline || !a || a.state !== 'requested' || order.remindedAttempt === a.attempt) {
      return undefined;
    }
    return order.paymentDeadline - before;
  }
}

/** The pricing step's business rejection, re-thrown so that the update and the workflow fail with its type. */
function businessFailure(err: unknown): ApplicationFailure {
  // The rejection is the innermost ApplicationFailure of the activity's failure chain.
  let cause: unknown = err;
  while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as { cause?: unknown }).cause;
  if (cause instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: cause.type ?? 'InvalidOrder',
      message: cause.message,
      details: cause.details as unknown[] | undefined,
      nonRetryable: true,
    });
  }
  return ApplicationFailure.create({ type: 'PricingFailed', message: String(err), nonRetryable: true });
}
