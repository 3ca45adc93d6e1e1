import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** The order's validator said no (a typed business failure), or the workflow has already finished. */
export function refusedByOrder(err: unknown): boolean {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) return true;
  return /already completed|workflow not found/i.test(String((err as Error)?.message ?? ''));
}
