/**
 * One reconciliation of everything an order touched, after a fault rehearsal (and for operators:
 * `npm run reconcile:check`). It compares our database with what the outside saw (the production API
 * stand-in's CRM orders and Kaspi bills, the Telegram stand-in's messages) and with Temporal (each order's
 * workflow status, activities retrying past their budget). Every mismatch is one line in `violations`.
 */
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import got from 'got';
import { orderWorkflowId } from '../../common/contract';
import type { PrismaClient } from '../../db/client';
import type { CrmOrder, KaspiPayment } from '../../standins/production-state';
import { orderSearchAttributes } from '../../workflows/search-attributes';

export interface ReconcileSources {
  prisma: PrismaClient;
  temporal: Client;
  /** Origins of the stand-ins, whose `/__control` routes show what the outside saw. */
  productionUrl: string;
  telegramUrl: string;
  /** Only these orders (default: every order in the database). */
  trackingIds?: string[];
}

export interface ReconcileResult {
  ok: boolean;
  orders: number;
  delivered: number;
  cancelled: number;
  /** Orders not yet delivered or cancelled (a rehearsal waits for none). */
  open: number;
  crmOrders: number;
  kaspiRequests: number;
  messages: number;
  moneyKeptTenge: number;
  moneyReturnedTenge: number;
  needsAttention: number;
  violations: string[];
}

const TERMINAL = new Set(['delivered', 'cancelled']);
const SENT_CALLS = new Set(['sendMessage', 'sendPhoto']);
/** A Kaspi bill's message ends with `(<trackingId>:<attempt>)`. */
const BILL_KEY = /\(([^():]+):(\d+)\)\s*$/;

interface SentCall {
  method: string;
  payload: { chat_id?: number | string };
  ok: boolean;
}

/**
 * Retries the whole check for up to `retryForMs` while it finds violations or cannot read a source (the database
 * may have just restarted, a record may trail its workflow by a moment); returns the last result.
 */
export async function reconcileUntilClean(sources: ReconcileSources, retryForMs = 30_000): Promise<ReconcileResult> {
  const deadline = Date.now() + retryForMs;
  for (;;) {
    let result: ReconcileResult;
    try {
      result = await reconcile(sources);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(1_000);
      continue;
    }
    if (result.ok || Date.now() > deadline) return result;
    await sleep(1_000);
  }
}

export async function reconcile(sources: ReconcileSources): Promise<ReconcileResult> {
  const { prisma, temporal } = sources;
  const violations: string[] = [];
  const wanted = sources.trackingIds ? { trackingId: { in: sources.trackingIds } } : {};
  const orders = await prisma.order.findMany({
    where: wanted,
    include: { payments: true, notifications: true, customer: true },
  });
  const [crm, bills, sent] = await Promise.all([
    getJson<CrmOrder[]>(`${sources.productionUrl}/__control/orders`),
    getJson<KaspiPayment[]>(`${sources.productionUrl}/__control/payments`),
    getJson<SentCall[]>(`${sources.telegramUrl}/__control/sent`),
  ]);
  const ours = new Set(orders.map((o) => o.trackingId));
  const crmByOrder = groupBy(crm, (c) => c.railwayOrderId);
  const billsByOrder = groupBy(bills, (b) => BILL_KEY.exec(b.message)?.[1] ?? '');
  const sentByChat = groupBy(
    sent.filter((c) => c.ok && SENT_CALLS.has(c.method)),
    (c) => String(c.payload.chat_id),
  );
  if (!sources.trackingIds) {
    for (const id of crmByOrder.keys()) if (!ours.has(id)) violations.push(`crm: order ${id} is not ours`);
  }

  let kept = 0;
  let returned = 0;
  for (const order of orders) {
    const id = order.trackingId;
    const crmCount = crmByOrder.get(id)?.length ?? 0;
    if (crmCount !== 1) violations.push(`crm: ${id} has ${crmCount} CRM orders`);

    const orderBills = billsByOrder.get(id) ?? [];
    const attempts = order.payments.filter((p) => p.status !== 'not_created').length;
    if (orderBills.length !== attempts)
      violations.push(`kaspi: ${id} has ${orderBills.length} Kaspi requests for ${attempts} payment attempts`);

    const paid = sum(orderBills.filter((b) => b.status === 'Processed').map((b) => b.amount));
    const refunded = sum(orderBills.map((b) => b.refundedTotal));
    kept += paid - refunded;
    returned += refunded;
    const total = Number(order.totalKopecks) / 100;
    if (order.status === 'delivered' && paid - refunded !== total)
      violations.push(`money: ${id} delivered keeps ${paid - refunded} ₸ of ${total} ₸`);
    if (order.status === 'cancelled' && paid - refunded !== 0)
      violations.push(`money: ${id} cancelled keeps ${paid - refunded} ₸`);
    const recorded = sum(order.payments.map((p) => Number(p.refundedKopecks))) / 100;
    if (recorded !== refunded) violations.push(`money: ${id} returned ${refunded} ₸, our records say ${recorded} ₸`);
    if (order.payments.some((p) => p.status === 'kept' && p.refundedKopecks > 0n))
      violations.push(`money: ${id} has a returned payment recorded as kept`);

    const chatId = order.customer?.telegramChatId;
    if (chatId !== null && chatId !== undefined) {
      const messages = sentByChat.get(String(chatId))?.length ?? 0;
      const shown = order.notifications.filter((n) => n.status === 'sent').length;
      const maybe = order.notifications.filter((n) => n.status === 'in_doubt').length;
      if (messages < shown || messages > shown + maybe)
        violations.push(`telegram: ${id} got ${messages} messages for ${shown} (+${maybe} in doubt) events`);
    }
    violations.push(...(await checkWorkflow(temporal, id, order.status)));
  }
  violations.push(...(await retryingPastBudget(temporal)));

  const count = (status: string) => orders.filter((o) => o.status === status).length;
  return {
    ok: violations.length === 0,
    orders: orders.length,
    delivered: count('delivered'),
    cancelled: count('cancelled'),
    open: orders.filter((o) => !TERMINAL.has(o.status)).length,
    crmOrders: orders.reduce((n, o) => n + (crmByOrder.get(o.trackingId)?.length ?? 0), 0),
    kaspiRequests: orders.reduce((n, o) => n + (billsByOrder.get(o.trackingId)?.length ?? 0), 0),
    messages: orders.reduce((n, o) => n + (sentByChat.get(String(o.customer?.telegramChatId))?.length ?? 0), 0),
    moneyKeptTenge: kept,
    moneyReturnedTenge: returned,
    needsAttention: orders.filter((o) => o.needsAttention).length,
    violations,
  };
}

/** The order's workflow did not fail, and says the status the database holds. */
async function checkWorkflow(temporal: Client, trackingId: string, dbStatus: string): Promise<string[]> {
  let description: WorkflowExecutionDescription;
  try {
    description = await temporal.workflow.getHandle(orderWorkflowId(trackingId)).describe();
  } catch (err) {
    return [`workflow: ${trackingId}: ${(err as Error).message}`];
  }
  const problems: string[] = [];
  const state = description.status.name;
  if (state !== 'RUNNING' && state !== 'COMPLETED' && state !== 'CONTINUED_AS_NEW')
    problems.push(`workflow: ${trackingId} ended ${state}`);
  const status = description.typedSearchAttributes.get(orderSearchAttributes.status);
  if (status !== dbStatus) problems.push(`status: ${trackingId} is ${dbStatus} in the database, ${String(status)}`);
  return problems;
}

/** Running workflows with an activity on a later attempt than its retry policy allows. */
async function retryingPastBudget(temporal: Client): Promise<string[]> {
  const problems: string[] = [];
  for await (const execution of temporal.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    const { raw } = await temporal.workflow.getHandle(execution.workflowId, execution.runId).describe();
    for (const activity of raw.pendingActivities ?? []) {
      const budget = activity.maximumAttempts ?? 0;
      if (budget > 0 && (activity.attempt ?? 0) > budget)
        problems.push(
          `retries: ${execution.workflowId} ${activity.activityType?.name} attempt ${activity.attempt} of ${budget}`,
        );
    }
  }
  return problems;
}

async function getJson<T>(url: string): Promise<T> {
  return got(url, { retry: { limit: 2 }, timeout: { request: 10_000 } }).json<T>();
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
