import { ActivityFailure, ApplicationFailure, log, TimeoutFailure } from '@temporalio/workflow';

/**
 * Runs side effects one after another in the background of the workflow, in the order asked. A step that fails
 * for good (after its retries) is handed to `onFailure` with its key, so it shows on the order instead of
 * vanishing, and the lane goes on with the next step.
 */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly name: string,
    private readonly onFailure: (key: string, reason: string) => void,
  ) {}

  run(key: string, step: () => Promise<unknown>): void {
    this.pending++;
    this.tail = this.tail
      .then(step)
      .catch((err: unknown) => {
        log.warn(`${this.name} step ${key} failed`, { error: describeFailure(err) });
        this.onFailure(key, describeFailure(err));
      })
      .finally(() => this.pending--);
  }

  get idle(): boolean {
    return this.pending === 0;
  }

  /** Steps queued or running. */
  get size(): number {
    return this.pending;
  }
}

/** The readable reason of an activity's failure: its innermost message, or that it ran out of time. */
export function describeFailure(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof TimeoutFailure) return `gave up after retrying (${cause.message || 'timeout'})`;
  if (cause instanceof ApplicationFailure) return cause.message;
  return cause instanceof Error ? cause.message : String(cause);
}
