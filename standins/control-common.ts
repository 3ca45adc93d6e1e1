import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { FaultBook } from './faults';

export const fail = (res: Response, status: number, code: string, message: string) =>
  res.status(status).json({ error: { code, message } });

/** The control routes every stand-in shares: fault injection, reset, and errors as JSON. Mounted last. */
export function mountCommonControl(router: Router, faults: FaultBook, reset: () => void): Router {
  router.get('/faults', (_req: Request, res: Response) => res.json(faults.list()));
  router.post('/faults', express.json(), (req: Request, res: Response) => {
    try {
      res.json(faults.add(req.body));
    } catch (err) {
      fail(res, 400, 'invalid_body', (err as Error).message);
    }
  });
  router.delete('/faults', (_req: Request, res: Response) => {
    faults.clear();
    res.json({ cleared: true });
  });
  router.post('/reset', (_req: Request, res: Response) => {
    reset();
    res.json({ reset: true });
  });
  router.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) =>
    fail(res, err.status && err.status < 500 ? err.status : 500, 'control_error', err.message),
  );
  return router;
}
