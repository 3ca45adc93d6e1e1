import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A listening stand-in server: its origin, and a close that also drops kept-alive and held connections. */
export interface ListeningServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(handler: http.RequestListener, port = 0, host = '127.0.0.1'): Promise<ListeningServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Timers that a closing stand-in can cancel, so held requests never keep the process alive. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** Resolves after `ms`; once stopped, never (the stand-in is gone). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return;
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.add(timer);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
