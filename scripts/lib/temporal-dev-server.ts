import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../common/contract';
import { temporalCliPath } from '../../common/temporal-binaries';
import { startProcess, tail, type ManagedProcess } from './processes';
import { isPortOpen, waitUntil } from './wait';

interface DevServerOptions {
  port: number;
  uiPort: number;
  namespace: string;
  dbFile: string;
  logFile: string;
  cwd: string;
  /** The codec server the Web UI decodes payloads through. */
  codecEndpoint?: string;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * `temporal server start-dev` with its SQLite file, the Web UI and the contract's search attributes.
 * Ready once the namespace lists every search attribute; on failure the error shows the server's log tail.
 */
export async function startTemporalDevServer(opts: DevServerOptions): Promise<ManagedProcess> {
  if (await isPortOpen(opts.port)) {
    throw new Error(`port ${opts.port} is taken: stop what listens there or set TEMPORAL_PORT (or TEMPORAL_ADDRESS)`);
  }
  const args = ['server', 'start-dev', '--db-filename', opts.dbFile, '--ip', '127.0.0.1'];
  args.push('--port', String(opts.port), '--ui-port', String(opts.uiPort), '--namespace', opts.namespace);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);

  const server = startProcess('temporal', temporalCliPath(), args, {
    cwd: opts.cwd,
    env: process.env,
    logFile: opts.logFile,
  });
  try {
    await waitUntil('Temporal dev server', () => hasSearchAttributes(`127.0.0.1:${opts.port}`, opts.namespace), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 300,
      failFast: () => (server.hasExited() ? 'the process exited' : undefined),
    });
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\n--- ${opts.logFile} (last lines) ---\n${tail(opts.logFile)}`, {
      cause: err,
    });
  }
  return server;
}

async function hasSearchAttributes(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    const { customAttributes } = await connection.withDeadline(Date.now() + 2_000, () =>
      connection.operatorService.listSearchAttributes({ namespace }),
    );
    return Object.keys(SEARCH_ATTRIBUTES).every((name) => customAttributes?.[name] !== undefined);
  } finally {
    await connection.close();
  }
}
