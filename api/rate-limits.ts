import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { callerOf } from './access';
import { HttpError } from './errors';
import type { ApiSettings } from './settings';

/** 429 in the contract's error shape; express-rate-limit has already set Retry-After. */
const tooMany =
  (what: string): Options['handler'] =>
  (_req, res, next) =>
    next(new HttpError(429, 'rate_limited', `Too many ${what}; retry after ${String(res.getHeader('Retry-After'))} s`));

const trusted = (_req: Request, res: Response) => callerOf(res).kind === 'trusted';

/**
 * The API's rate limits (express-rate-limit, in memory: each API process counts its own). Trusted callers
 * (API key) are not limited. Counted per client address unless said otherwise.
 */
export function createRateLimits(settings: ApiSettings) {
  const base = { standardHeaders: 'draft-7', legacyHeaders: false, skip: trusted } as const;
  return {
    /** Every public route. */
    perAddress: rateLimit({
      ...base,
      windowMs: settings.rateLimitWindowMs,
      limit: settings.rateLimitPerAddress,
      handler: tooMany('requests from this address'),
    }),
    /** Order placement attempts, valid or not. */
    ordersPerAddress: rateLimit({
      ...base,
      windowMs: settings.rateLimitWindowMs,
      limit: settings.ordersPerAddress,
      handler: tooMany('order attempts from this address'),
    }),
    /** Orders accepted for one phone (each sends that phone a Kaspi bill); needs the parsed order in res.locals. */
    ordersPerPhone: rateLimit({
      ...base,
      windowMs: settings.phoneWindowMs,
      limit: settings.ordersPerPhone,
      keyGenerator: (_req, res) => `phone:${(res.locals.order as { customer: { phone: string } }).customer.phone}`,
      skipFailedRequests: true,
      handler: tooMany('orders for this phone'),
    }),
    /** Wrong proofs offered to cancel one order (the masked phone leaves only three digits to guess). */
    cancelProofs: rateLimit({
      ...base,
      windowMs: settings.phoneWindowMs,
      limit: 5,
      keyGenerator: (req) => `cancel:${String(req.params.trackingId)}`,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 403,
      handler: tooMany('wrong proofs for this order'),
    }),
    /** Webhooks: only refused requests (a wrong secret or signature) count, so a busy CRM is never throttled. */
    webhookFailures: rateLimit({
      ...base,
      windowMs: settings.rateLimitWindowMs,
      limit: settings.rateLimitPerAddress,
      skipSuccessfulRequests: true,
      handler: tooMany('refused webhooks from this address'),
    }),
  };
}

/** At most `limit` requests at once through this handler; the rest are answered 429 at once. */
export function concurrencyLimit(limit: number, what: string): RequestHandler {
  let inFlight = 0;
  return (_req: Request, res: Response, next: NextFunction) => {
    if (inFlight >= limit) {
      res.setHeader('Retry-After', '1');
      return next(new HttpError(429, 'busy', `Too many ${what} at once; retry in a second`));
    }
    inFlight++;
    res.once('close', () => inFlight--);
    next();
  };
}
