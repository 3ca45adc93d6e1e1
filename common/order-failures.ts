import { ApplicationFailure } from '@temporalio/common';

/** The order's "cannot cancel" failure: thrown by the workflow's validator, and by the client for a closed order. */
export const notCancellable = (status: string): ApplicationFailure =>
  ApplicationFailure.create({
    type: 'NotCancellable',
    message: `Cannot cancel: the order is ${status}`,
    details: [{ status }],
    nonRetryable: true,
  });

/** An update or signal sent to a workflow that has already closed. */
export const isClosedWorkflowError = (err: unknown): boolean =>
  /already completed/i.test(String((err as Error)?.message ?? ''));
