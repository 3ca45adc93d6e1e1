import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../common/logging';

/**
 * One JSON line per answered request: method, route pattern (`/api/v1/orders/:trackingId`, never the raw path,
 * which can carry an operator token or a tracking id), status and duration. No headers, no bodies, no query.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let route: string | undefined;
    // Express restores req.baseUrl when an error leaves a router: the pattern is read when the answer is written.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      route = routePattern(req);
      return writeHead(...args);
    }) as typeof res.writeHead;
    res.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, route: route ?? routePattern(req), status: res.statusCode, durationMs };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}

function routePattern(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path === '/' && req.baseUrl ? '' : path}` : '(no route)';
}
