import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../common/logging';

/** Health checks and scrapes come every few seconds: their lines only at LOG_LEVEL=debug. */
const PROBES = new Set(['/health', '/metrics']);

/**
 * One JSON line per answered request: method, route pattern (`/api/v1/orders/:trackingId`, never the raw path,
 * which can carry an operator token or a tracking id), status and duration. No headers, no bodies, no query.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let route = '(no route)';
    // Taken when a route matches: an error leaving a router restores req.baseUrl before the answer is written.
    let matched: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => matched,
      set(value: { path?: unknown } | undefined) {
        matched = value;
        if (typeof value?.path === 'string')
          route = `${req.baseUrl}${value.path === '/' && req.baseUrl ? '' : value.path}`;
      },
    });
    res.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, route, status: res.statusCode, durationMs };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else if (PROBES.has(route)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
