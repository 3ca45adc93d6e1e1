import fs from 'node:fs';
import path from 'node:path';

/** Where scripts/setup.sh (run by `npm ci`) installs the Temporal tools. */
const PROJECT_ROOT = path.resolve(__dirname, '..');
const VENV_BIN = path.join(PROJECT_ROOT, '.tools', 'venv', 'bin');

/** The `temporal` CLI (runs the dev server): the project's pinned copy, else one on PATH. */
export function temporalCliPath(): string {
  return findExecutable('temporal');
}

/** The time-skipping test server for `TestWorkflowEnvironment.createTimeSkipping` (`existing-path`). */
export function temporalTestServerPath(): string {
  return findExecutable('temporal-test-server');
}

function findExecutable(name: string): string {
  const candidates = [VENV_BIN, ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  for (const dir of candidates) {
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  throw new Error(
    `${name} not found in ${VENV_BIN} nor on PATH. Run \`npm ci\` (scripts/setup.sh installs it with Python 3 venv + pip).`,
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
