import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';

/**
 * The codec server the Temporal Web UI calls to show encrypted payloads: `POST /codec/decode` and `/codec/encode`
 * with `{"payloads":[{"metadata":{k: base64},"data": base64}]}` (the UI's request shape), answered in kind.
 * Only operators may use it: the token comes as `Authorization: Bearer <token>` (the CLI's --codec-auth) or in the
 * path, `/codec/<token>/decode` (the UI's codec endpoint setting); a browser must come from an allowed UI origin.
 * Mount: `app.use('/codec', createCodecRouter({ codec, operatorToken, allowedOrigins }))` before any auth or
 * rate limit of the public API.
 */
export interface CodecRouterDeps {
  codec: PayloadCodec;
  operatorToken: string;
  /** Origins of the Web UI (CODEC_CORS_ORIGINS), e.g. http://127.0.0.1:8233. */
  allowedOrigins: string[];
}

type JsonPayload = { metadata?: Record<string, string>; data?: string };

export function createCodecRouter({ codec, operatorToken, allowedOrigins }: CodecRouterDeps): Router {
  const router = express.Router();
  const cors = (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.includes(origin)) {
      res
        .status(403)
        .json({ error: { code: 'origin_not_allowed', message: `origin ${origin} may not use the codec` } });
      return;
    }
    if (origin) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Namespace',
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') res.sendStatus(204);
    else next();
  };
  const authorized = (req: Request) => {
    const header = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const given = Buffer.from(header ?? (req.params.token as string | undefined) ?? '');
    const expected = Buffer.from(operatorToken);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const handle = (direction: 'encode' | 'decode') => async (req: Request, res: Response) => {
    if (!authorized(req)) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'an operator token is required' } });
      return;
    }
    const body = req.body as { payloads?: JsonPayload[] } | undefined;
    if (!Array.isArray(body?.payloads)) {
      res.status(400).json({ error: { code: 'invalid_request', message: 'expected {"payloads":[...]}' } });
      return;
    }
    try {
      const payloads = await codec[direction](body.payloads.map(fromJson));
      res.json({ payloads: payloads.map(toJson) });
    } catch (err) {
      res.status(400).json({ error: { code: 'codec_failed', message: (err as Error).message } });
    }
  };

  router.use(cors, express.json({ limit: '4mb' }));
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, handle(direction));
    router.post(`/:token/${direction}`, handle(direction));
  }
  return router;
}

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(data ?? '', 'base64'),
});

const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(data ?? []).toString('base64'),
});
