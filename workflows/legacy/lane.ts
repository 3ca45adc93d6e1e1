import { log } from '@temporalio/workflow';

/** Runs side effects one after another in the background of the workflow, in the order asked. */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly name: string) {}

  run(step: () => Promise<unknown>): void {
    this.pending++;
    this.tail = this.tail
      .then(step)
      .catch((err: unknown) => log.warn(`${this.name} step failed`, { error: String(err) }))
      .finally(() => this.pending--);
  }

  get idle(): boolean {
    return this.pending === 0;
  }
}
