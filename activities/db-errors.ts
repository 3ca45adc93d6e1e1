import { ApplicationFailure } from '@temporalio/common';

/** Prisma errors that the same write will hit again: a constraint, a missing row, a value that does not fit. */
const DETERMINISTIC = new Set(['P2000', 'P2002', 'P2003', 'P2004', 'P2011', 'P2020', 'P2025']);

/**
 * Runs a database write; an error that retrying cannot fix becomes a non-retryable failure naming the
 * constraint (never the query's arguments), so the workflow records it instead of retrying for ever.
 */
export async function write<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && DETERMINISTIC.has(code)) {
      const meta = (err as { meta?: { target?: unknown; modelName?: unknown; constraint?: unknown } }).meta;
      const target = meta?.target ?? meta?.constraint ?? meta?.modelName ?? '';
      throw ApplicationFailure.create({
        type: 'RecordRejected',
        message: `${what} rejected by the database (${code}${target ? ` ${JSON.stringify(target)}` : ''})`,
        nonRetryable: true,
      });
    }
    throw err;
  }
}
