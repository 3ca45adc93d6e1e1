import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';

/** A started child in its own process group, so stopping it also stops whatever it spawned. */
export interface ManagedProcess {
  readonly name: string;
  /** The child's process id (the benchmark samples its memory and CPU). */
  readonly pid: number | undefined;
  /** Settles when the process exits, saying how ("exited with code 1", "killed by SIGKILL"). */
  readonly exited: Promise<string>;
  readonly hasExited: () => boolean;
  stop(): Promise<void>;
  /** Sends `signal` to the whole group and waits for the exit (a crash, for fault rehearsals). */
  kill(signal: NodeJS.Signals): Promise<string>;
}

const STOP_GRACE_MS = 10_000;
const COLORS = [36, 35, 33, 32, 34, 31];
let nextColor = 0;

interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Send output to this file instead of the console (for noisy servers). */
  logFile?: string;
}

/**
 * `node` arguments that run `entry` with `flags`: TypeScript through tsx's loader; a `.cjs` launcher (the worker's,
 * workers/launch.cjs) loads tsx itself, so that the threads it starts do not.
 */
export function nodeArgs(entry: string, flags: readonly string[] = []): string[] {
  return entry.endsWith('.cjs') ? [...flags, entry] : ['--import', 'tsx', ...flags, entry];
}

/** Spawns `command`, prefixing each line of its output with its name (or writing it to `logFile`). */
export function startProcess(name: string, command: string, args: string[], opts: SpawnOptions): ManagedProcess {
  const log = opts.logFile ? fs.openSync(opts.logFile, 'w') : undefined;
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true, // own process group: Ctrl-C reaches us only, and we stop children in order
    stdio: ['ignore', log ?? 'pipe', log ?? 'pipe'],
  });
  if (log !== undefined) fs.closeSync(log);
  else prefixOutput(name, child);

  let exitedFlag = false;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => {
      exitedFlag = true;
      resolve(`failed to start: ${err.message}`);
    });
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      resolve(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
  });

  return {
    name,
    pid: child.pid,
    exited,
    hasExited: () => exitedFlag,
    async stop() {
      if (exitedFlag) return;
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      signalGroup(child, 'SIGKILL'); // whatever the leader left behind in its group
    },
    async kill(signal) {
      if (!exitedFlag) signalGroup(child, signal);
      const how = await exited;
      signalGroup(child, 'SIGKILL');
      return how;
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

function prefixOutput(name: string, child: ChildProcess): void {
  const color = COLORS[nextColor++ % COLORS.length];
  const label = process.stdout.isTTY ? `\x1b[${color}m${name.padEnd(9)}|\x1b[0m ` : `${name.padEnd(9)}| `;
  for (const [stream, sink] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (stream) readline.createInterface({ input: stream }).on('line', (line) => sink.write(label + line + '\n'));
  }
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
