import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StateFile } from '../../standins/state-file';

type Snapshot = { items: Record<string, string> };
type Change = [string, string][];

/** A key-value state journaled the way the stand-ins journal theirs. */
function keyValueState(notify: () => void = () => {}) {
  const items: Record<string, string> = {};
  let changed: Change = [];
  return {
    items,
    put(key: string, value: string) {
      items[key] = value;
      changed.push([key, value]);
      notify();
    },
    journal: {
      snapshot: (): Snapshot => ({ items }),
      // An entry even when nothing changed, as the Telegram stand-in's (its small parts are always written whole).
      takeChanges: (): Change => {
        const taken = changed;
        changed = [];
        return taken;
      },
    },
    restore(saved: { snapshot?: Snapshot; changes: Change[] }) {
      Object.assign(items, saved.snapshot?.items);
      for (const change of saved.changes) for (const [k, v] of change) items[k] = v;
    },
  };
}

describe('StateFile (snapshot and journal)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvety-state-file-'));
    file = path.join(dir, 'state.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function open() {
    const state = keyValueState(() => stateFile.changed());
    const stateFile = new StateFile(file, state.journal);
    stateFile.resume((saved) => state.restore(saved));
    return { state, stateFile };
  }

  it('appends each change to the journal, and folds it into the snapshot once it outgrows it', () => {
    const { state, stateFile } = open();
    state.put('a', '1');
    stateFile.flush();
    stateFile.flush(); // nothing noted since: nothing appended (as at process exit)
    expect(fs.readFileSync(`${file}.journal`, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).items).toEqual({});
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 20; i++) {
      state.put(`k${i}`, big);
      stateFile.flush();
    }
    // 1.3 MB of changes: past the 1 MB floor, so the snapshot now holds them and the journal started again.
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).items)).toHaveLength(17);
    expect(fs.readFileSync(`${file}.journal`, 'utf8').trim().split('\n').length).toBe(4);
    stateFile.close();
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
    expect(Object.keys(open().state.items)).toHaveLength(21);
  });

  it('skips lines the snapshot already holds and a last line torn by a crash', () => {
    const { state, stateFile } = open();
    state.put('a', 'old');
    stateFile.flush();
    const leftover = fs.readFileSync(`${file}.journal`, 'utf8');
    state.put('a', 'new');
    stateFile.close();
    // As if the process died after writing the new snapshot but before removing the journal, mid-append.
    fs.writeFileSync(`${file}.journal`, `${leftover}{"seq":3,"chan`);
    expect(open().state.items).toEqual({ a: 'new' });
  });

  it('refuses a journal with an unreadable line before its last', () => {
    fs.writeFileSync(`${file}.journal`, '{"seq":1,"change":[["a","1"]]}\nnot json\n{"seq":3,"change":[]}\n');
    expect(() => open()).toThrow(/cannot read the stand-in journal/);
  });

  it('never overwrites a file it could not read', () => {
    fs.writeFileSync(file, '{"items":');
    const state = keyValueState();
    const stateFile = new StateFile(file, state.journal);
    expect(() => stateFile.resume((saved) => state.restore(saved))).toThrow(/cannot read the stand-in state/);
    stateFile.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"items":');
  });
});
