import got from 'got';
import type { Duration } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { signCallback } from '../../api/secrets';
import { kaspiPaymentWorkflowId, orderWorkflowId } from '../../common/contract';
import type { OrderRequest, OrderView } from '../../common/order';
import type { CrmStatus } from '../../standins/production-state';
import { asText } from '../../standins/telegram-state';
import { statusQuery } from '../../workflows/messages';
import { shopDate } from './dates';
import { FIXTURES, type TestSystem } from './system';
import { releaseLeakedClockLocks, settlesWithin } from './temporal';

let nextChat = 7_100_000 + (process.pid % 1000) * 1000;
const started: Journey[] = [];

/**
 * A customer's order driven through the real parts: placed through the order client (as the API and the bot
 * do), paid and moved by the shop through the stand-ins' control routes, callbacks signed and posted to the
 * API, time advanced on the time-skipping server. Every fault goes through a stand-in's fault route.
 */
export class Journey {
  readonly chatId = ++nextChat;
  trackingId = '';

  constructor(private readonly system: TestSystem) {
    started.push(this);
  }

  request(overrides: Partial<OrderRequest> = {}): OrderRequest {
    return {
      customer: { phone: '+77015211545', name: 'Айгуль', telegramUserId: this.chatId, telegramChatId: this.chatId },
      recipient: { name: 'Мария', phone: '+77011234567' },
      delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', date: shopDate(2), slot: '14:00-16:00' },
      items: [{ productId: this.system.production.products()[0].id, quantity: 1 }],
      paymentMethod: 'kaspi',
      ...overrides,
    };
  }

  async place(overrides: Partial<OrderRequest> = {}): Promise<OrderView> {
    const { view } = await this.system.orders.place(this.request(overrides));
    this.trackingId = view.trackingId;
    return view;
  }

  /**
   * The workflow's own view, however long the query takes: a journey watches live fields, which the API's answer
   * from the records (after 3 s without a worker's answer, a slow one under load too) lacks; that answer has its
   * own tests.
   */
  view(): Promise<OrderView> {
    return this.system.client.workflow.getHandle(orderWorkflowId(this.trackingId)).query(statusQuery);
  }

  /**
   * Waits until the order satisfies `ok`, advancing the server's clock by `step` between looks (and a little real
   * time: the stand-ins answer in real time).
   */
  async until(ok: (v: OrderView) => boolean, what: string, step: Duration = '5s', tries = 60): Promise<OrderView> {
    for (let i = 0; i < tries; i++) {
      const view = await this.view();
      if (ok(view)) return view;
      await this.skip(step);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`order ${this.trackingId} never became ${what}: ${JSON.stringify(await this.view())}`);
  }

  /**
   * Advances the server's clock by `duration`. The test server skips time only while nothing holds its clock (a
   * running activity or workflow task, or a lock it leaked: releaseLeakedClockLocks), so a skip can turn into a
   * real wait: past `realMs` this fails and says what the order and its bills run.
   */
  async skip(duration: Duration, realMs = 60_000): Promise<void> {
    if (await settlesWithin(this.system.env.sleep(duration), realMs)) return;
    const running = await this.running().catch(String);
    throw new Error(`the clock did not move ${String(duration)} in ${realMs / 1000} s of real time: ${running}`);
  }

  /**
   * The order's and its bills' workflows as the server describes them: pending activities, a pending workflow task,
   * the last events and any failed workflow task (either holds the test server's clock as a running activity does).
   */
  async running(): Promise<string> {
    const ids = [orderWorkflowId(this.trackingId), ...[1, 2, 3].map((a) => kaspiPaymentWorkflowId(this.trackingId, a))];
    const described = await Promise.all(ids.map((id) => describeForStall(this.system, id).catch(() => undefined)));
    return described.filter(Boolean).join('; ');
  }

  /** The Kaspi requests this order caused, as the Kaspi stand-in saw them. */
  kaspiRequests() {
    return this.system.production.payments().filter((p) => p.message.includes(this.trackingId));
  }

  crmOrders() {
    return this.system.production.orders().filter((o) => o.railwayOrderId === this.trackingId);
  }

  /** The customer confirms the bill in the Kaspi app; the aggregator's signed callback follows unless told not to. */
  async pay(externalId = this.kaspiRequests().at(-1)!.externalId, { callback = true } = {}): Promise<string> {
    await got.post(`${this.system.production.url}/__control/payments/${externalId}`, {
      json: { status: 'Processed' },
    });
    if (callback) await this.callback(externalId);
    return externalId;
  }

  /** A signed Kaspi callback to the API, as a payment aggregator sends it. */
  async callback(externalId: string, status = 'Processed') {
    const body = JSON.stringify({ externalId, status });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signCallback(body, timestamp, FIXTURES.kaspiSecret);
    return got.post(`${this.system.apiUrl}/api/v1/webhooks/kaspi`, {
      body,
      headers: { 'content-type': 'application/json', 'X-Signature': signature, 'X-Timestamp': timestamp },
      throwHttpErrors: false,
      responseType: 'json',
    });
  }

  /** The florists move the order in the CRM; the stand-in posts the status webhook to the API. */
  async shop(status: CrmStatus, assembledImage?: string): Promise<void> {
    const crm = this.crmOrders()[0];
    if (!crm) throw new Error(`no CRM order for ${this.trackingId}`);
    await got.post(`${this.system.production.url}/__control/orders/${crm.orderId}/status`, {
      json: { status, ...(assembledImage && { assembledImage }) },
    });
  }

  /** What the bot sent this customer (messages and photos Telegram accepted). */
  messages() {
    return this.system.telegram
      .sent(this.chatId)
      .filter((c) => c.ok && (c.method === 'sendMessage' || c.method === 'sendPhoto'));
  }

  texts(): string[] {
    return this.messages().map((c) => asText(c.payload.text ?? c.payload.caption ?? ''));
  }
}

const { EventType } = temporal.api.enums.v1;

async function describeForStall(system: TestSystem, id: string): Promise<string> {
  const handle = system.client.workflow.getHandle(id);
  const { status, raw } = await handle.describe();
  const pending = (raw.pendingActivities ?? []).map((a) => [a.activityType?.name, a.attempt, a.lastFailure?.message]);
  const task = raw.pendingWorkflowTask
    ? `, workflow task ${raw.pendingWorkflowTask.state} #${raw.pendingWorkflowTask.attempt}`
    : '';
  const events = (await handle.fetchHistory()).events ?? [];
  const eventName = (e: (typeof events)[number]) => String(EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', '');
  const failedTasks = events.flatMap((e) =>
    e.workflowTaskFailedEventAttributes ? [e.workflowTaskFailedEventAttributes.failure?.message ?? '?'] : [],
  );
  const last = events.slice(-6).map(eventName).join(' ');
  const failed = failedTasks.length
    ? `, ${failedTasks.length} workflow task(s) failed, last: ${failedTasks.at(-1)}`
    : '';
  return `${id} ${status.name}, pending ${JSON.stringify(pending)}${task}${failed}, last events: ${last}`;
}

/**
 * Ends every workflow the journeys of a test started: on the time-skipping server, a workflow left polling would
 * make every later skip of the clock pay for its timers. Then gives back the clock locks the server leaked.
 */
export async function endJourneys(system: TestSystem): Promise<void> {
  const trackingIds = started.splice(0).flatMap((j) => (j.trackingId ? [j.trackingId] : []));
  // Bills first: a bill that ends by itself after its order closed leaks a lock of the server's clock.
  await terminateAll(
    system,
    trackingIds.flatMap((id) => [1, 2, 3].map((n) => kaspiPaymentWorkflowId(id, n))),
  );
  await terminateAll(system, trackingIds.map(orderWorkflowId));
  const released = await releaseLeakedClockLocks(system.env);
  if (released && process.env.CLOCK_LEAKS_VERBOSE) {
    process.stderr.write(`clock locks leaked by "${expect.getState().currentTestName}": ${released}\n`);
  }
}

const terminateAll = (system: TestSystem, ids: string[]) =>
  Promise.all(
    ids.map((id) =>
      system.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined),
    ),
  );

/** `POST /__control/faults` on a stand-in. */
export async function fault(standinUrl: string, body: Record<string, unknown>): Promise<void> {
  await got.post(`${standinUrl}/__control/faults`, { json: body });
}

export async function clearFaults(system: TestSystem): Promise<void> {
  for (const url of [system.production.url, system.telegram.url]) {
    await got.delete(`${url}/__control/faults`, { throwHttpErrors: false });
  }
}

/**
 * The promises of issue 9 for one order, checked against what the outside services saw and what we recorded:
 * one CRM order; as many Kaspi requests as payment attempts; money in = money kept + money refunded;
 * one message per (order, event).
 */
export async function expectInvariants(system: TestSystem, journey: Journey): Promise<void> {
  const view = await journey.view();
  const rows = await system.db.prisma.payment.findMany({ where: { order: { trackingId: journey.trackingId } } });
  const requests = journey.kaspiRequests();

  expect(journey.crmOrders().length).toBeLessThanOrEqual(1);
  expect(requests).toHaveLength(rows.filter((r) => r.status !== 'not_created').length);

  const paidIn = requests.filter((r) => r.status === 'Processed').reduce((sum, r) => sum + r.amount, 0);
  const refunded = requests.reduce((sum, r) => sum + r.refundedTotal, 0);
  const kept = view.status === 'cancelled' ? 0 : view.payment.status === 'paid' ? view.totalKopecks / 100 : 0;
  expect({ paidIn, keptPlusRefunded: kept + refunded }).toEqual({ paidIn, keptPlusRefunded: paidIn });

  const notifications = await system.db.prisma.notification.findMany({
    where: { order: { trackingId: journey.trackingId } },
  });
  // A message on its way is claimed (`sending`) before Telegram shows it.
  const shown = notifications.filter((n) => ['sent', 'in_doubt', 'sending'].includes(n.status)).length;
  expect(journey.messages().length).toBeLessThanOrEqual(shown);
  expect(journey.messages().length).toBeGreaterThanOrEqual(notifications.filter((n) => n.status === 'sent').length);
}
