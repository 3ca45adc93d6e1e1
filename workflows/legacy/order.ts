// Frozen: the first version of the order workflow, kept so that orders started before the
// `exactly-once` patch replay and finish as they began (see docs/technical-description.md, Versioning).
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OrderStatus } from '../../common/contract';
import type { CancelReason, OrderInput, OrderView } from '../../common/order';
import { crm, crmPoll, kaspi, kaspiPoll, notifications, pricing, records, refunds } from './order-activities';
import { Lane } from './lane';
import {
  cancelUpdate,
  crmStatusSignal,
  paymentSignal,
  pricedUpdate,
  statusQuery,
  type CancelRequest,
} from '../messages';
import { OrderState } from './order-state';
import { orderSearchAttributes as sa } from '../search-attributes';

const FAST_POLL_MS = 15_000;
const FAST_POLL_WINDOW_MS = 10 * 60_000;
const SLOW_POLL_MS = 2 * 60_000;
const CRM_POLL_MS = 5 * 60_000;
const LATE_PAYMENT_POLL_MS = 5 * 60_000;
const HISTORY_LIMIT = 8_000;

/** One customer order, from pricing to delivery or cancellation. */
export async function legacyOrderWorkflow(input: OrderInput): Promise<OrderView> {
  const order = new OrderState(input, new Date());
  const crmLane = new Lane('crm');
  const effects = new Lane('effects');
  const moneyLane = new Lane('refunds');
  const chat = { chatId: input.customer.telegramChatId, language: input.customer.language ?? 'ru' };

  const publish = (): void => {
    upsertSearchAttributes([{ key: sa.status, value: order.view.status }]);
    upsertMemo({ summary: order.summary() });
  };
  const notify = (event: OrderStatus | 'refunded'): void =>
    effects.run(() => notifications.notifyCustomer({ ...chat, event, order: order.view }));
  const changed = (status: OrderStatus): void => {
    publish();
    const at = new Date(order.view.history[order.view.history.length - 1].at);
    if (status === 'assembled') effects.run(fetchAssembledPhoto);
    effects.run(() => {
      const { cancelReason, crm: crmView, assembledPhotoUrl } = order.view;
      return records.recordStatus({
        trackingId: input.trackingId,
        status,
        at,
        cancelReason,
        crm: crmView,
        assembledPhotoUrl,
      });
    });
    notify(status);
  };
  const payBack = (): void => {
    for (const { externalId } of order.refundsDue.splice(0)) {
      moneyLane.run(async () => {
        const { refundedKopecks } = await refunds.refundPayment({
          trackingId: input.trackingId,
          externalId,
          amountKopecks: order.view.totalKopecks,
        });
        const payment = order.view.payment;
        payment.refundedKopecks = (payment.refundedKopecks ?? 0) + refundedKopecks;
        if (externalId === payment.externalId) payment.status = 'refunded';
        notify('refunded');
      });
    }
  };
  /** The status webhook carries no photo: the CRM's order detail has it. */
  const fetchAssembledPhoto = async (): Promise<void> => {
    const crmOrderId = order.view.crm.orderId;
    if (order.view.assembledPhotoUrl || !crmOrderId) return;
    const detail = await crmPoll.getCrmOrder(crmOrderId).catch(() => undefined);
    if (detail?.assembledImage) order.view.assembledPhotoUrl = detail.assembledImage;
  };
  const applyCrm = (status: string, assembledImage?: string): void => {
    const moved = order.onCrmStatus(status, assembledImage, new Date());
    if (moved) changed(moved);
  };

  setHandler(statusQuery, () => order.view);
  setHandler(pricedUpdate, async () => {
    await condition(() => order.priced || order.rejection !== undefined);
    if (order.rejection) throw order.rejection;
    return order.view;
  });
  setHandler(
    cancelUpdate,
    async ({ reason }) => {
      order.requestCancel('customer', reason);
      await condition(() => order.view.status === 'cancelled');
      return order.view;
    },
    { validator: (_request: CancelRequest) => order.assertCancellable() },
  );
  setHandler(crmStatusSignal, ({ status, assembledImage }) => applyCrm(status, assembledImage));
  setHandler(paymentSignal, ({ externalId, status }) => {
    order.onPayment(externalId, status);
    payBack();
  });

  if (input.resume) {
    order.view = input.resume;
  } else {
    try {
      order.applyPricing(await pricing.priceOrder(input));
    } catch (err) {
      order.rejection = businessFailure(err);
      await condition(allHandlersFinished);
      throw order.rejection;
    }
    await records.recordOrder({ input, priced: order.view });
    upsertSearchAttributes([
      { key: sa.trackingId, value: input.trackingId },
      { key: sa.customerPhone, value: input.customer.phone },
      { key: sa.deliveryDate, value: new Date(`${input.delivery.date}T00:00:00+05:00`) },
      { key: sa.total, value: order.view.totalKopecks },
    ]);
    publish();
    notify('new');
    crmLane.run(async () => {
      const { crmOrderId } = await crm.createCrmOrder({ input, priced: order.view });
      order.view.crm = { orderId: crmOrderId, status: order.view.crm.status ?? 'N' };
      await records.recordStatus({ trackingId: input.trackingId, crm: order.view.crm });
    });
    await takePayment();
  }

  if (order.view.payment.status === 'paid' && !order.cancelRequest) await followShop();
  if (order.cancelRequest && order.view.status !== 'cancelled') await cancel(order.cancelRequest.by);
  if (order.view.status === 'cancelled') await watchLatePayment();
  await condition(() => crmLane.idle && moneyLane.idle && effects.idle && allHandlersFinished());
  return order.view;

  async function takePayment(): Promise<void> {
    if (order.cancelRequest) return;
    let externalId: string;
    try {
      ({ externalId } = await kaspi.requestPayment({
        trackingId: input.trackingId,
        phone: input.customer.phone,
        amountKopecks: order.view.totalKopecks,
      }));
    } catch {
      // Kaspi refused or stayed down: the order cannot be paid, so it is cancelled and compensated.
      order.view.payment.status = 'failed';
      order.requestCancel('payment_failed');
      return;
    }
    order.view.payment = { status: 'requested', externalId };
    if (order.advance('awaiting_payment', new Date())) changed('awaiting_payment');

    const started = Date.now();
    const deadline = started + input.settings.paymentDeadlineMs;
    while (order.view.payment.status === 'requested' && !order.cancelRequest) {
      const left = deadline - Date.now();
      if (left <= 0) {
        order.view.payment.status = 'expired';
        order.requestCancel('payment_expired');
        break;
      }
      const every = Date.now() - started < FAST_POLL_WINDOW_MS ? FAST_POLL_MS : SLOW_POLL_MS;
      const woke = await condition(
        () => order.view.payment.status !== 'requested' || !!order.cancelRequest,
        Math.min(every, left),
      );
      if (!woke) await pollPayment(externalId);
    }
    if (order.view.payment.status === 'paid' && !order.cancelRequest) {
      order.advance('paid', new Date());
      changed('paid');
      const crmOrderId = (): number | undefined => order.view.crm.orderId;
      crmLane.run(async () => {
        const id = crmOrderId();
        if (id) await crm.setCrmStatus({ crmOrderId: id, status: 'PD' });
      });
    }
  }

  async function pollPayment(externalId: string): Promise<void> {
    try {
      const status = await kaspiPoll.getPaymentStatus(externalId);
      order.onPayment(externalId, status);
      payBack();
    } catch {
      // A failed poll only waits for the next one.
    }
  }

  async function followShop(): Promise<void> {
    while (!order.finished && !order.cancelRequest) {
      const woke = await condition(() => order.finished || !!order.cancelRequest, CRM_POLL_MS);
      const crmOrderId = order.view.crm.orderId;
      if (!woke && crmOrderId) {
        try {
          const detail = await crmPoll.getCrmOrder(crmOrderId);
          applyCrm(detail.status, detail.assembledImage);
        } catch {
          // The webhook may still arrive; the next poll tries again.
        }
      }
      if (
        !order.finished &&
        !order.cancelRequest &&
        workflowInfo().historyLength > (input.settings.continueAsNewAfterEvents ?? HISTORY_LIMIT)
      ) {
        await condition(() => crmLane.idle && moneyLane.idle && effects.idle && allHandlersFinished());
        await continueAsNew<typeof legacyOrderWorkflow>({ ...input, resume: order.view });
      }
    }
  }

  async function cancel(by: CancelReason): Promise<void> {
    const wasPaid = order.view.payment.status === 'paid';
    order.markCancelled(by, new Date());
    changed('cancelled');
    if (wasPaid && order.view.payment.externalId) {
      order.view.payment.status = 'refund_pending';
      order.refundsDue.push({ externalId: order.view.payment.externalId });
      payBack();
    }
    if (by !== 'shop') {
      crmLane.run(async () => {
        const id = order.view.crm.orderId;
        if (id) await crm.setCrmStatus({ crmOrderId: id, status: wasPaid ? 'RF' : 'UN' });
      });
    }
  }

  /** Kaspi requests stay payable after we give up on them: money that still arrives goes back. */
  async function watchLatePayment(): Promise<void> {
    const { externalId, status } = order.view.payment;
    if (!externalId || (status !== 'requested' && status !== 'expired')) return;
    order.view.payment.status = 'expired';
    const until = Date.now() + input.settings.latePaymentWatchMs;
    while (order.view.payment.status === 'expired' && Date.now() < until) {
      const woke = await condition(
        () => order.view.payment.status !== 'expired',
        Math.min(LATE_PAYMENT_POLL_MS, until - Date.now()),
      );
      if (!woke) await pollPayment(externalId);
    }
    await condition(() => moneyLane.idle);
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
