import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { MAX_PHOTO_BYTES } from './photo-input';
import { InvalidPhotoError, type PhotoSearch } from './photo-search-port';

export interface PhotoEngineServerOptions {
  host: string;
  port: number;
  /** Bearer token every request must carry; unset: none (loopback only, enforced in common/config.ts). */
  token?: string;
}

/**
 * The photo engine of the API process served to the worker (indexing) and the polling bot (search), so the
 * models are loaded once (search/photo-engine-client.ts is the other end). Photos travel as raw bodies.
 */
export async function startPhotoEngineServer(
  engine: PhotoSearch,
  options: PhotoEngineServerOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.use(authorised(options.token));
  const photo = express.raw({ type: () => true, limit: MAX_PHOTO_BYTES });
  const productId = (value: unknown) => {
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id < 1) throw new BadRequest('productId must be a positive integer');
    return id;
  };

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.post('/search', photo, (req, res, next) => {
    engine.search(bodyOf(req)).then((answer) => res.json(answer), next);
  });
  app.post('/index', photo, (req, res, next) => {
    const photoKey = typeof req.query.photoKey === 'string' ? req.query.photoKey : '';
    if (!photoKey) return next(new BadRequest('photoKey is required'));
    engine.index(productId(req.query.productId), photoKey, bodyOf(req)).then(() => res.status(204).end(), next);
  });
  app.delete('/index/:productId', (req, res, next) => {
    engine.remove(productId(req.params.productId)).then(() => res.status(204).end(), next);
  });
  app.get('/outdated', (_req, res, next) => {
    Promise.resolve(engine.outdated?.() ?? []).then((ids) => res.json(ids), next);
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof InvalidPhotoError) return void res.status(422).json({ code: err.code, message: err.message });
    if (err instanceof BadRequest) return void res.status(400).json({ code: 'bad_request', message: err.message });
    console.error('photo engine:', err);
    res.status(500).json({ code: 'engine_error', message: err.message });
  });

  const server: Server = app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

class BadRequest extends Error {}

const bodyOf = (req: Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

function authorised(token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!expected) return next();
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).json({ code: 'unauthorized', message: 'the photo engine token is missing or wrong' });
  };
}
