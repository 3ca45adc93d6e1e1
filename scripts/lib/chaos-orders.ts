/**
 * Orders driven through the running stack as the outside world drives them: placed over HTTP by a trusted
 * client, paid in the Kaspi stand-in (with signed callbacks delivered once, twice or never), moved by the shop in
 * the CRM stand-in (webhooks once, twice, never, out of order, late), cancelled by the customer. Every step is
 * retried while the stack is being broken underneath it.
 */
import got, { type Got } from 'got';
import { signCallback } from '../../api/secrets';
import { kaspiPaymentWorkflowId } from '../../common/contract';
import type { OrderView } from '../../common/order';
import type { CrmOrder, CrmStatus, KaspiPayment } from '../../standins/production-state';
import { settleInDoubtSignal } from '../../workflows/messages';
import type { ChaosStack } from './chaos-stack';

export type Delivery = 'once' | 'twice' | 'never';
export interface DrivePlan {
  end: 'delivered' | 'cancelled' | 'shop-cancelled';
  callback: Delivery;
  /** How the shop's status webhooks arrive; out-of-order: the later status first, the earlier one after it. */
  webhook: Delivery | 'out-of-order';
  /** After the order closed: its last webhook and Kaspi callback once more (late, for a closed order). */
  afterClose: boolean;
}

export interface DriveFigures {
  placed: number;
  webhooksSent: number;
  callbacksSent: number;
  /** Deliveries of something already delivered (repeats, late ones, ones for closed orders). */
  duplicatesSent: number;
  /** Bills left in doubt (a Kaspi request cut short) that the rehearsal settled as an operator does. */
  inDoubtSettled: number;
  placeLatencyMs: number[];
}

const TERMINAL = new Set(['delivered', 'cancelled']);
let nextCustomer = 0;

export class OrderDriver {
  readonly figures: DriveFigures = {
    placed: 0,
    webhooksSent: 0,
    callbacksSent: 0,
    duplicatesSent: 0,
    inDoubtSettled: 0,
    placeLatencyMs: [],
  };
  private readonly http: Got;
  private productIds?: number[];

  constructor(
    private readonly stack: ChaosStack,
    /** How long one step may keep failing before the rehearsal gives up. */
    private readonly stepTimeoutMs = 120_000,
  ) {
    this.http = got.extend({ retry: { limit: 0 }, timeout: { request: 20_000 }, throwHttpErrors: true });
  }

  /** One order from placement to `plan.end`; resolves with its tracking id once it is delivered or cancelled. */
  async drive(plan: DrivePlan, onPlaced?: (chatId: number) => Promise<void>): Promise<string> {
    const { trackingId, chatId } = await this.place();
    await onPlaced?.(chatId);
    const bill = await this.bill(trackingId);
    await this.pay(bill, plan.callback);
    await this.untilPaid(trackingId, bill);
    if (plan.end === 'cancelled') await this.cancel(trackingId);
    else await this.shop(trackingId, plan.end === 'delivered' ? ['AP', 'F'] : ['RF'], plan.webhook);
    const last = await this.until(trackingId, (v) => TERMINAL.has(v.status), 'delivered or cancelled');
    if (plan.afterClose) {
      await this.replayWebhook(trackingId, last.status === 'delivered' ? 'F' : 'RF');
      await this.callback(bill.externalId);
      this.figures.duplicatesSent += 2;
    }
    return trackingId;
  }

  async place(): Promise<{ trackingId: string; chatId: number }> {
    const n = ++nextCustomer;
    const chatId = 8_000_000 + (process.pid % 1000) * 10_000 + n;
    const productIds = await this.products();
    const body = {
      customer: {
        phone: `+7701${String(chatId).slice(-7)}`,
        name: 'Айгуль',
        telegramUserId: chatId,
        telegramChatId: chatId,
      },
      recipient: { name: 'Мария', phone: '+77011234567' },
      delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', date: daysAhead(2), slot: '14:00-16:00' },
      items: [{ productId: productIds[n % productIds.length], quantity: 1 + (n % 3) }],
      paymentMethod: 'kaspi',
    };
    const started = Date.now();
    // The same Idempotency-Key on every try: a retry after a lost answer returns the order already placed.
    const key = `chaos-${process.pid}-${n}-${started}`;
    const view = await this.retry('place an order', () =>
      this.http
        .post(`${this.stack.apiUrl}/api/v1/orders`, { json: body, headers: { ...this.auth(), 'Idempotency-Key': key } })
        .json<{ trackingId: string }>(),
    );
    this.figures.placed++;
    this.figures.placeLatencyMs.push(Date.now() - started);
    return { trackingId: view.trackingId, chatId };
  }

  /** The order's first Kaspi bill, once the stand-in has it. */
  async bill(trackingId: string, attempt = 1): Promise<KaspiPayment> {
    return this.retry(`the Kaspi bill of ${trackingId}`, async () => {
      const bills = await this.http(`${this.stack.productionUrl}/__control/payments`).json<KaspiPayment[]>();
      const bill = bills.find((b) => b.message.endsWith(`(${trackingId}:${attempt})`));
      if (!bill) throw new Error('no bill yet');
      return bill;
    });
  }

  /** The customer pays in the Kaspi app; the aggregator's signed callback follows once, twice or never. */
  async pay(bill: KaspiPayment, callback: Delivery): Promise<void> {
    await this.retry(`pay ${bill.externalId}`, () =>
      this.http.post(`${this.stack.productionUrl}/__control/payments/${bill.externalId}`, {
        json: { status: 'Processed' },
      }),
    );
    const times = { once: 1, twice: 2, never: 0 }[callback];
    for (let i = 0; i < times; i++) await this.callback(bill.externalId);
    if (times === 2) this.figures.duplicatesSent++;
  }

  async callback(externalId: string): Promise<void> {
    const body = JSON.stringify({ externalId, status: 'Processed' });
    await this.retry(`Kaspi callback of ${externalId}`, () => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = signCallback(body, timestamp, this.stack.env.KASPI_CALLBACK_SECRET);
      return this.http.post(`${this.stack.apiUrl}/api/v1/webhooks/kaspi`, {
        body,
        headers: { 'content-type': 'application/json', 'X-Signature': signature, 'X-Timestamp': timestamp },
      });
    });
    this.figures.callbacksSent++;
  }

  /** The shop moves the order through `statuses` in the CRM; the webhooks arrive as `delivery` says. */
  async shop(trackingId: string, statuses: CrmStatus[], delivery: DrivePlan['webhook']): Promise<void> {
    const crm = await this.crmOrder(trackingId);
    for (const status of statuses) {
      await this.retry(`CRM ${crm.orderId} → ${status}`, () =>
        this.http.post(`${this.stack.productionUrl}/__control/orders/${crm.orderId}/status`, {
          json: { status, webhook: delivery === 'once' || delivery === 'twice' },
        }),
      );
      if (delivery === 'once' || delivery === 'twice') this.figures.webhooksSent++;
      if (delivery === 'twice') await this.replayWebhook(trackingId, status);
      if (delivery === 'twice') this.figures.duplicatesSent++;
    }
    if (delivery === 'out-of-order') {
      for (const status of [...statuses].reverse()) await this.replayWebhook(trackingId, status);
      this.figures.duplicatesSent += statuses.length - 1;
    }
  }

  async replayWebhook(trackingId: string, status: CrmStatus): Promise<void> {
    const crm = await this.crmOrder(trackingId);
    await this.retry(`webhook ${crm.orderId} ${status}`, async () => {
      const sent = await this.http
        .post(`${this.stack.productionUrl}/__control/orders/${crm.orderId}/webhook`, { json: { status } })
        .json<{ delivered: boolean; httpStatus?: number }>();
      if (!sent.delivered) throw new Error(`the API answered ${sent.httpStatus ?? 'nothing'}`);
    });
    this.figures.webhooksSent++;
  }

  async cancel(trackingId: string): Promise<void> {
    await this.retry(`cancel ${trackingId}`, () =>
      this.http.post(`${this.stack.apiUrl}/api/v1/orders/${trackingId}/cancel`, {
        json: { reason: 'chaos rehearsal' },
        headers: this.auth(),
      }),
    );
  }

  view(trackingId: string): Promise<OrderView> {
    return this.http(`${this.stack.apiUrl}/api/v1/orders/${trackingId}`, { headers: this.auth() }).json<OrderView>();
  }

  /**
   * Waits for the payment to count. A bill whose request was cut short (a worker killed mid-call) is in doubt:
   * the operator finds it in Kaspi by its message and tells its workflow (README, "a bill in doubt").
   */
  async untilPaid(trackingId: string, bill: KaspiPayment): Promise<OrderView> {
    let settled = false;
    return this.retry(`${trackingId} paid`, async () => {
      const view = await this.view(trackingId);
      if (view.payment.status === 'in_doubt' && !settled) {
        const workflowId = kaspiPaymentWorkflowId(trackingId, view.payment.attempt ?? 1);
        await this.stack.client.workflow.getHandle(workflowId).signal(settleInDoubtSignal, {
          externalId: bill.externalId,
        });
        settled = true;
        this.figures.inDoubtSettled++;
      }
      if (view.payment.status !== 'paid' && !TERMINAL.has(view.status))
        throw new Error(`payment ${view.payment.status}`);
      return view;
    });
  }

  /** Waits until the order's view satisfies `ok` (its status comes from the workflow, through the API). */
  async until(trackingId: string, ok: (view: OrderView) => boolean, what: string, timeoutMs = this.stepTimeoutMs) {
    return this.retry(
      `${trackingId} ${what}`,
      async () => {
        const view = await this.view(trackingId);
        if (!ok(view)) throw new Error(`still ${view.status}, payment ${view.payment.status}`);
        return view;
      },
      timeoutMs,
    );
  }

  private async crmOrder(trackingId: string): Promise<CrmOrder> {
    return this.retry(`the CRM order of ${trackingId}`, async () => {
      const orders = await this.http(`${this.stack.productionUrl}/__control/orders`).json<CrmOrder[]>();
      const order = orders.find((o) => o.railwayOrderId === trackingId);
      if (!order) throw new Error('not in the CRM yet');
      return order;
    });
  }

  private async products(): Promise<number[]> {
    this.productIds ??= await this.retry('the catalog', async () => {
      const products = await this.http(`${this.stack.productionUrl}/__control/products`).json<
        { id: number; isAvailable: boolean; type: string }[]
      >();
      return products
        .filter((p) => p.isAvailable && p.type === 'catalog')
        .map((p) => p.id)
        .slice(0, 5);
    });
    return this.productIds;
  }

  private auth() {
    return { authorization: `Bearer ${this.stack.apiKey}` };
  }

  private async retry<T>(what: string, step: () => Promise<T>, timeoutMs = this.stepTimeoutMs): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await step();
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

/** A date `days` ahead in the shop's time zone (Asia/Almaty, +05:00). */
function daysAhead(days: number): string {
  return new Date(Date.now() + 5 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
