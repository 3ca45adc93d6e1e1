import type { ManagedProcess } from './processes';

interface Stoppable {
  readonly name: string;
  stop(): Promise<void>;
}

/**
 * Holds everything `npm start` started and stops it in reverse order, once: on Ctrl-C / SIGTERM, when a
 * start-up step fails, or when a child dies on its own.
 */
export class Supervisor {
  private readonly running: Stoppable[] = [];
  private inFlight: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(private readonly log: (line: string) => void) {}

  /** Awaits a resource being started; a shutdown that arrives meanwhile waits for it, then stops it too. */
  async start<T extends Stoppable>(starting: Promise<T>): Promise<T> {
    this.inFlight = starting.then(
      (resource) => this.running.push(resource),
      () => undefined,
    );
    const resource = await starting;
    await this.inFlight;
    if (this.stopping) throw new Error(`stopping: ${resource.name} started too late`);
    return resource;
  }

  /** Registers a child process; if it exits before shutdown, everything stops with a failure. */
  watch(child: ManagedProcess): ManagedProcess {
    this.running.push(child);
    void child.exited.then((how) => {
      if (this.stopping) return;
      this.log(`${child.name} ${how} unexpectedly`);
      void this.shutdown(1);
    });
    return child;
  }

  async shutdown(exitCode: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.inFlight;
    for (const resource of [...this.running].reverse()) {
      this.log(`stopping ${resource.name}`);
      await resource.stop().catch((err: unknown) => this.log(`${resource.name} did not stop cleanly: ${String(err)}`));
    }
    process.exit(exitCode);
  }

  get isStopping(): boolean {
    return this.stopping;
  }
}
