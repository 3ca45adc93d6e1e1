import http from 'node:http';
import type { Worker } from '@temporalio/worker';
import type { Registry } from 'prom-client';

/**
 * The worker's own HTTP endpoints. GET /health: 200 while every worker of this process is running, 503 once one is
 * not (draining at shutdown, failed), with each worker's task queue and state, for container health checks.
 * GET /metrics: the business metrics counted in this process (the SDK's are on their own port).
 */
export function startHealthServer(
  workers: { taskQueue: string; worker: Worker }[],
  opts: { host: string; port: number; buildId?: string; metrics: Registry },
): Promise<http.Server> {
  const { host, port, buildId, metrics } = opts;
  const server = http.createServer((req, res) => {
    const route = req.method === 'GET' ? req.url?.split('?')[0] : undefined;
    if (route === '/metrics') {
      void metrics.metrics().then((text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text));
      return;
    }
    if (route !== '/health') {
      res.writeHead(404).end();
      return;
    }
    const states = workers.map(({ taskQueue, worker }) => ({ taskQueue, state: worker.getState() }));
    const ok = states.every(({ state }) => state === 'RUNNING');
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', buildId, workers: states }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
