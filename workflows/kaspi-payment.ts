import {
  CancellationScope,
  condition,
  defineQuery,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
} from '@temporalio/workflow';
import type { OrderTimings } from '../common/order';
import {
  kaspi,
  kaspiPoll,
  kaspiWatch,
  localKaspi,
  localKaspiPoll,
  localKeptMark,
  records,
  refunds,
} from './order-activities';
import { timingsOf } from './timings';
import {
  kaspiEventSignal,
  paymentReportSignal,
  settleInDoubtSignal,
  verdictSignal,
  withdrawSignal,
  type InDoubtAnswer,
  type PaymentReport,
} from './messages';

export interface KaspiPaymentInput {
  trackingId: string;
  orderWorkflowId: string;
  attempt: number;
  phone: string;
  amountKopecks: number;
  /** How long the order waits for this money, and how long money is still watched for (and returned) after. */
  payableMs: number;
  lateWatchMs: number;
  timings?: Partial<OrderTimings>;
  /** Set when a callback restarts the watch of a request whose workflow had ended: nothing is requested again. */
  externalId?: string;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type KaspiPaymentResult = 'kept' | 'refunded' | 'refused' | 'failed' | 'expired' | 'withdrawn';

export const paymentStateQuery = defineQuery<{ stage: string; externalId?: string; withdrawn: boolean }>('state');

const VERDICT_WAIT_MS = 10 * 60_000;

/** Bills watched by a server-paced activity instead of a timer and a read per look. */
export const BILL_WATCH_BY_RETRY_PATCH = 'bill-watch-by-retry';
/**
 * The request, the look a callback asks for and the "kept" mark as local activities: each answer is handled in the
 * task that asked (the order told at once), one task and three events fewer per call.
 */
export const BILL_LOCAL_CALLS_PATCH = 'bill-local-calls';

/**
 * One Kaspi payment request, from asking to settling its money. It runs apart from its order (parent close
 * policy ABANDON) for as long as the request is payable: money the order claims is kept, any other is
 * returned, exactly once, even after the order has closed.
 */
export async function kaspiPaymentWorkflow(input: KaspiPaymentInput): Promise<KaspiPaymentResult> {
  let stage = 'requesting';
  let externalId = input.externalId;
  let withdrawnAt: number | undefined;
  let verdict: boolean | undefined;
  let nudged = false;
  let inDoubtAnswer: InDoubtAnswer | undefined;
  const started = Date.now();
  const pace = timingsOf(input.timings);
  const calls = patched(BILL_LOCAL_CALLS_PATCH)
    ? { kaspi: localKaspi, kaspiPoll: localKaspiPoll, records: localKeptMark }
    : { kaspi, kaspiPoll, records };

  setHandler(withdrawSignal, () => {
    withdrawnAt ??= Date.now();
  });
  setHandler(verdictSignal, ({ keep }) => {
    verdict = keep;
  });
  setHandler(kaspiEventSignal, () => {
    nudged = true;
  });
  setHandler(settleInDoubtSignal, (answer) => {
    inDoubtAnswer = answer;
  });
  setHandler(paymentStateQuery, () => ({ stage, externalId, withdrawn: withdrawnAt !== undefined }));

  /** Tells the order; false when the order has closed (nobody claims the money any more). */
  const tell = async (report: DistributiveOmit<PaymentReport, 'attempt'>): Promise<boolean> => {
    try {
      await getExternalWorkflowHandle(input.orderWorkflowId).signal(paymentReportSignal, {
        ...report,
        attempt: input.attempt,
      });
      return true;
    } catch (err) {
      log.info('order no longer listening', { error: String(err) });
      return false;
    }
  };

  while (!externalId) {
    if (withdrawnAt !== undefined) return 'withdrawn'; // cancelled before anything was asked of Kaspi
    const request = {
      trackingId: input.trackingId,
      attempt: input.attempt,
      phone: input.phone,
      amountKopecks: input.amountKopecks,
    };
    const result = await calls.kaspi.requestKaspiPayment(request).catch((err: unknown) => ({
      outcome: 'refused' as const,
      reason: `Kaspi stayed unavailable: ${String(err)}`,
    }));
    if (result.outcome === 'refused') {
      await tell({ state: 'refused', reason: result.reason });
      return 'refused';
    }
    if (result.outcome === 'requested') {
      externalId = result.externalId;
      await tell({ state: 'requested', externalId, recordError: result.recordError });
      break;
    }
    // Maybe billed, maybe not, and the proxy cannot be asked: an operator looks in Kaspi and answers.
    stage = 'in_doubt';
    await tell({ state: 'in_doubt', reason: result.reason });
    await condition(() => inDoubtAnswer !== undefined);
    const answer: InDoubtAnswer = inDoubtAnswer!;
    inDoubtAnswer = undefined;
    await kaspi.settlePaymentInDoubt({ ...request, externalId: answer.externalId });
    if (answer.externalId) {
      externalId = answer.externalId;
      await tell({ state: 'requested', externalId });
    }
  }

  stage = 'waiting';
  const paid = await watch(externalId);
  if (paid === 'failed') {
    await tell({ state: 'failed' });
    return 'failed';
  }
  if (paid === 'expired') {
    await tell({ state: 'expired' });
    return 'expired';
  }

  stage = 'settling';
  if (withdrawnAt === undefined && (await tell({ state: 'paid', externalId }))) {
    // The order answers at once unless it has just closed; asking again finds out which.
    while (verdict === undefined && withdrawnAt === undefined) {
      if (!(await condition(() => verdict !== undefined || withdrawnAt !== undefined, VERDICT_WAIT_MS))) {
        if (!(await tell({ state: 'paid', externalId }))) break;
      }
    }
  }
  if (verdict === true) {
    await calls.records.markPaymentKept({ externalId });
    stage = 'kept';
    return 'kept';
  }
  stage = 'refunding';
  const { refundedKopecks } = await refunds.refundUnclaimed({
    trackingId: input.trackingId,
    externalId,
    amountKopecks: input.amountKopecks,
  });
  await tell({ state: 'refunded', externalId, refundedKopecks });
  stage = 'refunded';
  return 'refunded';

  /**
   * Watches (and listens for callbacks) until the money arrives, Kaspi declines, or the request's life ends. After
   * one quiet interval the server does the looking: one activity retried at the watch's pace, so a waiting bill
   * costs no workflow task and no history per look, and its workflow may leave the worker's cache meanwhile.
   */
  async function watch(id: string): Promise<'paid' | 'failed' | 'expired'> {
    for (;;) {
      const now = Date.now();
      const end =
        withdrawnAt !== undefined ? withdrawnAt + input.lateWatchMs : started + input.payableMs + input.lateWatchMs;
      if (now >= end) return 'expired';
      const fast = withdrawnAt === undefined && now - started < pace.kaspiFastWindowMs;
      const every =
        withdrawnAt !== undefined ? pace.kaspiLatePollMs : fast ? pace.kaspiFastPollMs : pace.kaspiSlowPollMs;
      const seenWithdrawn = withdrawnAt;
      const woken = () => nudged || withdrawnAt !== seenWithdrawn;
      await condition(woken, Math.min(every, end - now), {
        summary: withdrawnAt === undefined ? 'next look at the Kaspi bill' : 'watch the withdrawn bill for late money',
      });
      if (withdrawnAt !== seenWithdrawn && !nudged) continue; // only the pace changed
      // Until the pace changes (end of the fast window, or of the watch); a word from outside comes first. With less
      // than an interval left, one read as before: the server would not fit a retry in, and the last look counts.
      const paceEnds = fast ? Math.min(started + pace.kaspiFastWindowMs, end) : end;
      if (!nudged && patched(BILL_WATCH_BY_RETRY_PATCH) && paceEnds - Date.now() >= every) {
        const settled = await lookAtItsPace(id, every, paceEnds - Date.now(), woken);
        if (settled) return settled;
        continue;
      }
      nudged = false;
      // A callback is only a hint: the status is always read from Kaspi.
      const status = await calls.kaspiPoll.getPaymentStatus(id).catch(() => undefined);
      if (status === 'Processed') return 'paid';
      if (status === 'Error') return 'failed';
    }
  }
}

/** The server-paced look: a settled bill, or nothing when a word came, the pace ended or Kaspi refused to answer. */
async function lookAtItsPace(
  id: string,
  everyMs: number,
  forMs: number,
  woken: () => boolean,
): Promise<'paid' | 'failed' | undefined> {
  let settled: 'paid' | 'failed' | undefined;
  const scope = new CancellationScope();
  const looking = kaspiWatch(everyMs, forMs);
  // A result wins over a word in the same activation. Cancelled, out of time, or refused for good: the watch goes on.
  const look = scope
    .run(() => looking.awaitBillSettled(id))
    .then(
      (result) => void (settled = result),
      () => undefined,
    );
  const word = scope
    .run(() => condition(woken))
    .then(
      () => undefined,
      () => undefined,
    );
  await Promise.race([look, word]);
  scope.cancel();
  return settled;
}
