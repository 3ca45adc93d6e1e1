import { CancellationScope, condition, sleep } from '@temporalio/workflow';

/**
 * The main loop's one timer, kept while its deadline stays the same: a message that wakes the loop no longer
 * cancels the timer and starts an equal one (two history events and a server timer each time).
 */
export class SteadyTimer {
  private current?: { at: number; scope: CancellationScope; fired: boolean };

  /** Waits until `at` or until `woken`; true when the timer fired and nothing woke the loop first. */
  async wait(at: number, woken: () => boolean, summary: string): Promise<boolean> {
    if (this.current?.at !== at) {
      this.cancel();
      this.current = this.start(at, summary);
    }
    const timer = this.current;
    await condition(() => woken() || timer.fired);
    if (woken()) return false; // a message first, as condition-with-timeout chose: its timer stays for the next look
    this.current = undefined;
    return true;
  }

  cancel(): void {
    this.current?.scope.cancel();
    this.current = undefined;
  }

  private start(at: number, summary: string) {
    const scope = new CancellationScope();
    const timer = { at, scope, fired: false };
    // A worker taking over may see a message at another task's time: the timer never asks for less than 1 ms.
    void scope
      .run(() => sleep(Math.max(at - Date.now(), 1), { summary }))
      .then(
        () => void (timer.fired = true),
        () => undefined, // cancelled: the deadline moved
      );
    return timer;
  }
}
