import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ORDER_STATUSES, TASK_QUEUE, orderWorkflowId } from '../../common/contract';
import type { Duration } from '@temporalio/common';
import type { OrderView } from '../../common/order';
import { orderWorkflow } from '../../workflows';
import { cancelUpdate, crmStatusSignal, paymentSignal, pricedUpdate, statusQuery } from '../../workflows/messages';
import { FakeShop, orderInput } from '../support/fake-shop';
import { createTimeSkippingEnv, workflowBundle } from '../support/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
}, 120_000);
afterAll(() => env?.teardown());

type Order = WorkflowHandleWithFirstExecutionRunId<typeof orderWorkflow>;
let queues = 0;
/** Every status of a delivered order, in order: all but `cancelled`. */
const WHOLE_JOURNEY = ORDER_STATUSES.filter((s) => s !== 'cancelled');

async function run(
  shop: FakeShop,
  body: (start: (overrides?: Parameters<typeof orderInput>[0]) => Promise<Order>) => Promise<void>,
) {
  // A queue per test: a workflow left running by one test never reaches another test's fakes.
  const taskQueue = `${TASK_QUEUE}-${++queues}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: shop.activities(),
  });
  const started: Order[] = [];
  try {
    await worker.runUntil(
      body(async (overrides) => {
        const input = orderInput(overrides);
        const handle = await env.client.workflow.start(orderWorkflow, {
          workflowId: orderWorkflowId(input.trackingId),
          taskQueue,
          args: [input],
        });
        started.push(handle);
        await handle.executeUpdate(pricedUpdate);
        return handle;
      }),
    );
  } finally {
    // An order left waiting (for the shop, for days) would hold the test server's clock for the next tests.
    await Promise.all(started.map((handle) => handle.terminate('test over').catch(() => undefined)));
  }
}

async function statusOf(handle: Order): Promise<OrderView> {
  return handle.query(statusQuery);
}

/** Lets the workflow react (time-skipping: this advances the test server's clock, not the wall clock). */
async function settle(
  handle: Order,
  until: (v: OrderView) => boolean,
  step: Duration = '15s',
  tries = 20,
): Promise<OrderView> {
  for (let i = 0; i < tries; i++) {
    const view = await statusOf(handle);
    if (until(view)) return view;
    await env.sleep(step);
  }
  return statusOf(handle);
}

async function payAndConfirm(shop: FakeShop, handle: Order) {
  await settle(handle, (v) => v.status === 'awaiting_payment');
  shop.pay();
  return settle(handle, (v) => v.status === 'paid');
}

describe('orderWorkflow', () => {
  test('happy path to delivered: every outside call exactly once, customer told at each step', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      const paid = await payAndConfirm(shop, handle);
      expect(paid.payment).toMatchObject({ status: 'paid', paidKopecks: 1_750_000 });
      await handle.signal(crmStatusSignal, { status: 'AP' });
      shop.assembledImage = 'http://127.0.0.1/done.jpg';
      await handle.signal(crmStatusSignal, { status: 'CO' }); // the webhook has no photo: fetched from the CRM
      await handle.signal(crmStatusSignal, { status: 'DE' });
      await handle.signal(crmStatusSignal, { status: 'F' });
      const result = await handle.result();
      expect(result.status).toBe('delivered');
      expect(result.assembledPhotoUrl).toBe('http://127.0.0.1/done.jpg');
      expect(result.history.map((h) => h.status)).toEqual(WHOLE_JOURNEY);
      expect(result.crm).toEqual({ orderId: 123901, status: 'F' });
    });
    expect(shop.calls).toMatchObject({
      priceOrder: 1,
      recordOrder: 1,
      createCrmOrder: 1,
      requestPayment: 1,
      refundPayment: 0,
      getCrmOrder: 1,
    });
    expect(shop.notified.find((n) => n.event === 'assembled')?.photo).toBe('http://127.0.0.1/done.jpg');
    expect(shop.crmStatusChanges).toEqual(['PD']);
    expect(shop.notifications).toEqual(WHOLE_JOURNEY);
    expect(shop.statuses).toEqual(['awaiting_payment', 'paid', 'accepted', 'assembled', 'in_delivery', 'delivered']);
  });

  test('a business rejection fails the pricing update and the workflow with a typed error', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const err = await start({ items: [{ productId: 404, quantity: 1 }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ProductUnknown' });
    });
    expect(shop.calls).toMatchObject({ createCrmOrder: 0, requestPayment: 0 });
  });

  test('payment expires after 30 minutes: cancelled, CRM cancelled, customer told; a late payment is refunded', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      const view = await settle(handle, (v) => v.status === 'cancelled', '5m', 10);
      expect(view).toMatchObject({
        status: 'cancelled',
        cancelReason: 'payment_expired',
        payment: { status: 'expired' },
      });
      const cancelledAt = Date.parse(view.history.at(-1)!.at) - Date.parse(view.history[0].at);
      expect(cancelledAt).toBeGreaterThanOrEqual(30 * 60_000);
      expect(cancelledAt).toBeLessThan(33 * 60_000);
      shop.pay(); // the customer pays the stale request an hour later
      const result = await handle.result();
      expect(result.payment.status).toBe('refunded');
    });
    expect(shop.crmStatusChanges).toEqual(['UN']);
    expect(shop.refunds).toEqual([{ externalId: '1000', amountKopecks: 1_750_000 }]);
    expect(shop.notifications).toEqual(['new', 'awaiting_payment', 'cancelled', 'refunded']);
  });

  test('payment failed: cancelled with payment_failed, nothing refunded', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      await settle(handle, (v) => v.status === 'awaiting_payment');
      shop.payments.set(shop.lastPayment(), 'Error');
      const result = await handle.result();
      expect(result).toMatchObject({
        status: 'cancelled',
        cancelReason: 'payment_failed',
        payment: { status: 'failed' },
      });
    });
    expect(shop.calls.refundPayment).toBe(0);
    expect(shop.crmStatusChanges).toEqual(['UN']);
  });

  test('paid then cancelled by the customer: exactly one refund of the paid amount and one CRM cancel', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      await payAndConfirm(shop, handle);
      await handle.signal(crmStatusSignal, { status: 'AP' });
      const [first, second] = await Promise.allSettled([
        handle.executeUpdate(cancelUpdate, { args: [{ reason: 'передумала' }] }),
        handle.executeUpdate(cancelUpdate, { args: [{ reason: 'двойное нажатие' }] }),
      ]);
      expect(first.status === 'fulfilled' || second.status === 'fulfilled').toBe(true);
      const result = await handle.result();
      expect(result).toMatchObject({
        status: 'cancelled',
        cancelReason: 'customer',
        payment: { status: 'refunded', refundedKopecks: 1_750_000 },
      });
    });
    expect(shop.refunds).toEqual([{ externalId: '1000', amountKopecks: 1_750_000 }]);
    expect(shop.crmStatusChanges).toEqual(['PD', 'RF']);
  });

  test('cancel is refused with a reason once the order is in delivery', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      await payAndConfirm(shop, handle);
      await handle.signal(crmStatusSignal, { status: 'DE' });
      const err = await handle.executeUpdate(cancelUpdate, { args: [{}] }).catch((e: unknown) => e);
      expect((err as WorkflowUpdateFailedError).cause).toMatchObject({
        type: 'NotCancellable',
        message: 'Cannot cancel: the order is in_delivery',
      });
      expect((await statusOf(handle)).status).toBe('in_delivery');
      await handle.signal(crmStatusSignal, { status: 'F' });
      expect((await handle.result()).status).toBe('delivered');
    });
    expect(shop.calls.refundPayment).toBe(0);
  });

  test('the shop cancels a paid order (RF): refunded once, the CRM is not told back', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      await payAndConfirm(shop, handle);
      await handle.signal(crmStatusSignal, { status: 'RF' });
      expect(await handle.result()).toMatchObject({
        status: 'cancelled',
        cancelReason: 'shop',
        payment: { status: 'refunded' },
      });
    });
    expect(shop.refunds).toHaveLength(1);
    expect(shop.crmStatusChanges).toEqual(['PD']);
  });

  test('CRM down for two hours while the customer pays: paid at once, pushed once on recovery', async () => {
    const shop = new FakeShop();
    shop.crmDown = true;
    await run(shop, async (start) => {
      const handle = await start();
      const paid = await payAndConfirm(shop, handle);
      expect(paid.crm.orderId).toBeUndefined();
      await env.sleep('2h');
      expect(shop.calls.createCrmOrder).toBeGreaterThan(5);
      shop.crmDown = false;
      const pushed = await settle(handle, (v) => v.crm.orderId !== undefined, '10m', 6);
      expect(pushed.crm.orderId).toBe(123901);
      await settle(handle, () => shop.crmStatusChanges.length > 0, '1m', 5);
    });
    expect(shop.crmStatusChanges).toEqual(['PD']);
  });

  test('duplicate, out-of-order and late statuses are ignored; a skipped one is accepted', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      await settle(handle, (v) => v.status === 'awaiting_payment');
      await handle.signal(crmStatusSignal, { status: 'AP' }); // before payment: noted, not applied
      expect((await statusOf(handle)).status).toBe('awaiting_payment');
      await payAndConfirm(shop, handle);
      await handle.signal(crmStatusSignal, { status: 'CO' }); // AP skipped
      await handle.signal(crmStatusSignal, { status: 'CO' }); // duplicate
      await handle.signal(crmStatusSignal, { status: 'AP' }); // late
      await handle.signal(crmStatusSignal, { status: 'XX' }); // unknown
      const view = await statusOf(handle);
      expect(view.status).toBe('assembled');
      expect(view.history.map((h) => h.status)).toEqual(['new', 'awaiting_payment', 'paid', 'assembled']);
      await handle.signal(crmStatusSignal, { status: 'F' });
      await handle.result();
    });
    expect(shop.notifications.filter((n) => n === 'assembled')).toHaveLength(1);
  });

  test('a lost webhook: the 5-minute poll of the CRM catches up', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      await payAndConfirm(shop, handle);
      shop.crmStatus = 'CO';
      shop.assembledImage = 'http://127.0.0.1/ready.jpg';
      const view = await settle(handle, (v) => v.status === 'assembled', '5m', 3);
      expect(view).toMatchObject({ status: 'assembled', assembledPhotoUrl: 'http://127.0.0.1/ready.jpg' });
      shop.crmStatus = 'F';
      expect((await handle.result()).status).toBe('delivered');
    });
  });

  test('a second payment that arrives anyway is refunded, the first one kept', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      await payAndConfirm(shop, handle);
      await handle.signal(paymentSignal, { externalId: shop.lastPayment(), status: 'Processed' }); // a repeat
      await handle.signal(paymentSignal, { externalId: 'stray-77', status: 'Processed' });
      await handle.signal(paymentSignal, { externalId: 'stray-77', status: 'Processed' });
      const view = await settle(handle, (v) => (v.payment.refundedKopecks ?? 0) > 0, '5s', 5);
      expect(view).toMatchObject({
        status: 'paid',
        payment: { status: 'paid', externalId: '1000', refundedKopecks: 1_750_000 },
      });
      await handle.signal(crmStatusSignal, { status: 'F' });
      await handle.result();
    });
    expect(shop.refunds).toEqual([{ externalId: 'stray-77', amountKopecks: 1_750_000 }]);
  });

  test('an order delivered days later waits durably', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start();
      await payAndConfirm(shop, handle);
      await env.sleep('2d');
      expect((await statusOf(handle)).status).toBe('paid');
      await handle.signal(crmStatusSignal, { status: 'F' });
      expect((await handle.result()).status).toBe('delivered');
    });
  }, 240_000);

  test('a long wait continues as new and keeps the order whole', async () => {
    const shop = new FakeShop();
    await run(shop, async (start) => {
      const handle = await start({
        settings: { paymentDeadlineMs: 30 * 60_000, latePaymentWatchMs: 60_000, continueAsNewAfterEvents: 150 },
      });
      const paid = await payAndConfirm(shop, handle);
      await env.sleep('3h');
      const described = await handle.describe();
      expect(described.runId).not.toBe(handle.firstExecutionRunId);
      expect(await statusOf(handle)).toEqual(paid);
      await handle.signal(crmStatusSignal, { status: 'F' });
      const result = await handle.result();
      expect(result.history.map((h) => h.status)).toEqual(['new', 'awaiting_payment', 'paid', 'delivered']);
    });
    expect(shop.calls).toMatchObject({ createCrmOrder: 1, requestPayment: 1 });
  });

  test('Kaspi refuses the payment request: the order is cancelled and the CRM told, nothing hangs', async () => {
    const shop = new FakeShop();
    shop.kaspiRefuses = true;
    await run(shop, async (start) => {
      const handle = await start();
      expect(await handle.result()).toMatchObject({
        status: 'cancelled',
        cancelReason: 'payment_failed',
        payment: { status: 'failed' },
      });
    });
    expect(shop.crmStatusChanges).toEqual(['UN']);
    expect(shop.calls.refundPayment).toBe(0);
  });

  test('a failing refund keeps retrying until the money is back', async () => {
    const shop = new FakeShop();
    shop.refundFailures = 4;
    await run(shop, async (start) => {
      const handle = await start();
      await payAndConfirm(shop, handle);
      await handle.executeUpdate(cancelUpdate, { args: [{}] });
      expect(await handle.result()).toMatchObject({
        status: 'cancelled',
        payment: { status: 'refunded', refundedKopecks: 1_750_000 },
      });
    });
    expect(shop.calls.refundPayment).toBe(5);
    expect(shop.refunds).toHaveLength(1);
  });
});
