import fs from 'node:fs';
import path from 'node:path';

/** What a stand-in's state gives its file: the whole of it, and what changed since it was last asked. */
export interface JournaledState<S, C> {
  snapshot(): S;
  /** The changes since the last call, as one entry that can be applied again without harm; undefined: none. */
  takeChanges(): C | undefined;
}

/** The journal's entries after the snapshot they follow. */
export interface SavedState<S, C> {
  snapshot: S | undefined;
  changes: C[];
}

/** The journal is folded into the snapshot once it is this much larger than the snapshot (and at least 1 MB). */
const COMPACT_RATIO = 2;
const COMPACT_MIN_BYTES = 1024 * 1024;

/**
 * A stand-in's state kept on disk, so that a restart resumes where the last run stopped and no id is handed out
 * twice, even after a SIGKILL: a snapshot file plus a journal of changes beside it (`<file>.journal`, one JSON
 * line each). Changes made within `delayMs` are appended as one line, so saving costs what changed, not the whole
 * state (which a busy run once rewrote many times a second). The journal is folded into a new snapshot (temporary
 * file, then rename) when it outgrows the snapshot, at the start and at close. Each line carries a sequence number
 * and the snapshot the last one it holds, so lines left over from a crash between the two steps are skipped.
 */
export class StateFile<S extends object, C> {
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private snapshotBytes = 0;
  private journalBytes = 0;
  /** Set once the owner has read the saved state: before that nothing may overwrite a file it could not read. */
  private loaded = false;
  /** A change was noted since the last flush or compaction. */
  private dirty = false;
  private readonly journal: string;
  private readonly onExit = () => this.flush();

  constructor(
    readonly file: string,
    private readonly state: JournaledState<S, C>,
    private readonly delayMs = 50,
  ) {
    this.journal = `${file}.journal`;
    process.once('exit', this.onExit);
  }

  /**
   * Hands the saved state to `restore`, then folds it into a fresh snapshot (the last run's journal, and whatever
   * `restore` rewrote). A file that cannot be read stops the start and is left as it is.
   */
  resume(restore: (saved: SavedState<S, C>) => void): void {
    restore(this.load());
    this.compact();
  }

  /** The saved snapshot and the changes after it. */
  private load(): SavedState<S, C> {
    const snapshot = this.read(this.file, (text) => JSON.parse(text) as S & { journalSeq?: number });
    const lines = this.read(this.journal, (text) => text.split('\n')) ?? [];
    this.seq = snapshot?.journalSeq ?? 0;
    const changes: C[] = [];
    lines.forEach((line, i) => {
      if (!line) return;
      let entry: { seq: number; change: C };
      try {
        entry = JSON.parse(line) as { seq: number; change: C };
      } catch (err) {
        if (i === lines.length - 1) return; // a line torn by a crash while it was being appended
        throw new Error(`cannot read the stand-in journal ${this.journal}: ${(err as Error).message}`, { cause: err });
      }
      if (entry.seq <= this.seq) return; // already in the snapshot
      changes.push(entry.change);
      this.seq = entry.seq;
    });
    if (snapshot) delete snapshot.journalSeq;
    this.loaded = true;
    return { snapshot, changes };
  }

  /** Notes a change; it reaches the journal within `delayMs`. */
  changed(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => this.flush(), this.delayMs).unref();
  }

  /** Appends what changed since the last flush; folds the journal in when it has grown too long. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.loaded || !this.dirty) return;
    this.dirty = false;
    const change = this.state.takeChanges();
    if (change === undefined) return;
    const line = `${JSON.stringify({ seq: ++this.seq, change })}\n`;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.journal, line);
    this.journalBytes += Buffer.byteLength(line);
    if (this.journalBytes > Math.max(COMPACT_MIN_BYTES, COMPACT_RATIO * this.snapshotBytes)) this.compact();
  }

  /** Writes the whole state as the new snapshot and empties the journal. */
  compact(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.loaded) return;
    this.dirty = false;
    this.state.takeChanges(); // the snapshot holds them
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const text = JSON.stringify({ ...this.state.snapshot(), journalSeq: this.seq });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, this.file);
    fs.rmSync(this.journal, { force: true });
    this.snapshotBytes = Buffer.byteLength(text);
    this.journalBytes = 0;
  }

  /** Folds everything into the snapshot and stops watching the process exit. */
  close(): void {
    this.compact();
    process.removeListener('exit', this.onExit);
  }

  private read<T>(file: string, parse: (text: string) => T): T | undefined {
    if (!fs.existsSync(file)) return undefined;
    try {
      return parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read the stand-in state ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
}
