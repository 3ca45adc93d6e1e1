import http from 'node:http';
import type { Worker } from '@temporalio/worker';

/**
 * GET /health: 200 while every worker of this process is running, 503 once one is not (draining at shutdown,
 * failed), with each worker's task queue and state. For container health checks and load balancers.
 */
export function startHealthServer(
  workers: { taskQueue: string; worker: Worker }[],
  host: string,
  port: number,
  buildId: string | undefined,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/health') {
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
