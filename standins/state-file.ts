import fs from 'node:fs';
import path from 'node:path';

/**
 * A stand-in's state kept in one JSON file, so that a restart resumes where the last run stopped and no id is
 * handed out twice. Writes are atomic (temporary file, then rename) and coalesced: changes made within
 * `delayMs` are written once; `flush()` (called by the stand-in's close, and at process exit) writes what is left.
 * The whole state is written each time, so as it grows the wait grows with the last write's cost (ten times it,
 * at most a second): writing never takes more than about a tenth of a core from the system under test.
 */
const MAX_DELAY_MS = 1_000;

export class StateFile<T> {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private lastWriteMs = 0;
  private readonly onExit = () => this.flush();

  constructor(
    readonly file: string,
    private readonly snapshot: () => T,
    private readonly delayMs = 50,
  ) {
    process.once('exit', this.onExit);
  }

  /** The saved state, or undefined when there is no file yet; a file that cannot be read stops the start. */
  load(): T | undefined {
    if (!fs.existsSync(this.file)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as T;
    } catch (err) {
      throw new Error(`cannot read the stand-in state ${this.file}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Notes a change; it reaches the disk within `delayMs`. */
  changed(): void {
    this.dirty = true;
    const wait = Math.min(Math.max(this.delayMs, 10 * this.lastWriteMs), MAX_DELAY_MS);
    this.timer ??= setTimeout(() => this.flush(), wait).unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    const started = performance.now();
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.snapshot()));
    fs.renameSync(temporary, this.file);
    this.lastWriteMs = performance.now() - started;
  }

  /** Writes what is pending and stops watching the process exit. */
  close(): void {
    this.flush();
    process.removeListener('exit', this.onExit);
  }
}
