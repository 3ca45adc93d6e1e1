import type { Context, MiddlewareFn } from 'grammy';

/**
 * Drops a user's updates beyond `limit` per `windowMs` (fixed window, in memory: flood control needs no
 * durability). The first dropped update of a window gets one polite answer; the rest are silent.
 */
export function rateLimit<C extends Context>(
  { limit, windowMs }: { limit: number; windowMs: number },
  onLimited: (ctx: C) => Promise<unknown>,
): MiddlewareFn<C> {
  const windows = new Map<number, { startedAt: number; count: number }>();
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return next();
    const now = Date.now();
    let window = windows.get(userId);
    if (!window || now - window.startedAt >= windowMs) {
      window = { startedAt: now, count: 0 };
      windows.set(userId, window);
      if (windows.size > 10_000) pruneOld(windows, now, windowMs);
    }
    window.count += 1;
    if (window.count <= limit) return next();
    if (window.count === limit + 1) await onLimited(ctx).catch(() => undefined);
  };
}

function pruneOld(windows: Map<number, { startedAt: number }>, now: number, windowMs: number): void {
  for (const [id, w] of windows) if (now - w.startedAt >= windowMs) windows.delete(id);
}
