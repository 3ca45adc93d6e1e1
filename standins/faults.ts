import { z } from 'zod';

/**
 * Injected failures of a stand-in's routes: `POST /__control/faults` `{"route","mode","count"}` makes the
 * next `count` matching calls fail (all of them until cleared with `DELETE /__control/faults` when `count` is
 * omitted, or for `forMs` of real time: an outage of that length); one fault per route, a new one replaces it. Modes:
 * - `down`: the connection is cut before the call is processed (nothing happened);
 * - `lost`: the call is fully processed (order created, payment requested, message sent), then the connection
 *   is cut instead of answering: the call happened but its answer was lost;
 * - `error500`, `unavailable` (503, or Kaspi's -999), `error429` (Telegram's flood limit, `retryAfter` seconds):
 *   refused without processing;
 * - `slow`: held `delayMs` (default 10 s), then processed and answered;
 * - `empty`: processed, answered 200 with an empty body (the Kaspi refund quirk).
 */
export const FAULT_MODES = ['down', 'lost', 'error500', 'slow', 'error429', 'unavailable', 'empty'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface Fault {
  route: string;
  mode: FaultMode;
  /** Calls still to fail; null = until cleared. */
  remaining: number | null;
  /** For `slow`: how long the answer is held before the call goes through. */
  delayMs: number;
  /** For `error429`: seconds in `parameters.retry_after`. */
  retryAfter: number;
  /** When the fault ends by itself (epoch ms); null = by count or when cleared. */
  until: number | null;
}

const faultInput = z.object({
  route: z.string().min(1),
  mode: z.enum(FAULT_MODES),
  count: z.number().int().positive().optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  retryAfter: z.number().int().min(0).optional(),
  forMs: z.number().int().positive().optional(),
});

export class FaultBook {
  private faults: Fault[] = [];

  constructor(
    private readonly allowedModes: readonly FaultMode[],
    /** Whether a fault registered for `faultRoute` applies to a call of `callRoute`. */
    private readonly matches: (faultRoute: string, callRoute: string) => boolean,
  ) {}

  /** Registers a fault (replacing one on the same route); throws a readable message on bad input. */
  add(body: unknown): Fault {
    const parsed = faultInput.safeParse(body);
    if (!parsed.success)
      throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { route, mode, count, delayMs, retryAfter, forMs } = parsed.data;
    if (!this.allowedModes.includes(mode))
      throw new Error(`mode: this stand-in supports ${this.allowedModes.join(', ')}`);
    const fault: Fault = {
      route,
      mode,
      remaining: count ?? null,
      delayMs: delayMs ?? 10_000,
      retryAfter: retryAfter ?? 1,
      until: forMs === undefined ? null : Date.now() + forMs,
    };
    this.faults = [...this.faults.filter((f) => f.route !== route), fault];
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    this.dropExpired();
    return this.faults.map((f) => ({ ...f }));
  }

  /** The fault that applies to this call, if any, counting the call against it. */
  take(callRoute: string): Fault | undefined {
    this.dropExpired();
    const fault = this.faults.find((f) => this.matches(f.route, callRoute));
    if (!fault) return undefined;
    if (fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    }
    return { ...fault };
  }

  private dropExpired(): void {
    const now = Date.now();
    this.faults = this.faults.filter((f) => f.until === null || f.until > now);
  }
}
