import http from 'node:http';
import type { Registry } from 'prom-client';

/** The polling bot's `GET /metrics` for Prometheus (in webhook mode the bot's lines are on the API's /metrics). */
export function startMetricsServer(registry: Registry, opts: { host: string; port: number }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return void res.writeHead(404).end();
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
