import { shopClock } from '../common/shop-time';
import type { PrismaClient } from '../db/client';
import { HttpError } from './errors';
import { mergeLines, type ParsedOrderRequest } from './order-request';
import type { ApiSettings } from './settings';

const MAX_DAYS_AHEAD = 90;

const refuse = (field: string, message: string): never => {
  throw new HttpError(400, 'invalid_request', `${field}: ${message}`, { fields: [{ field, message }] });
};

/**
 * The checks made before any work starts: the date and slot in the shop's time zone, the number of bouquets,
 * and, for products the catalog read model knows, availability and the order's total. Answers the request with
 * its duplicate lines merged. A product the read model does not know yet is left to the workflow's pricing,
 * which asks the live catalog.
 */
export async function checkOrderLimits(
  request: ParsedOrderRequest,
  settings: Pick<ApiSettings, 'maxOrderItems' | 'maxOrderTotalKopecks' | 'shopTimeZone'>,
  prisma: PrismaClient,
  now = new Date(),
): Promise<ParsedOrderRequest> {
  const { date, slot } = request.delivery;
  const clock = shopClock(now, settings.shopTimeZone);
  if (date < clock.date) refuse('delivery.date', `${date} is in the past (today is ${clock.date})`);
  // The same bound as the workflow's pricing, so nothing passing here is refused there.
  const latest = new Date(now.getTime() + MAX_DAYS_AHEAD * 86_400_000).toISOString().slice(0, 10);
  if (date > latest) refuse('delivery.date', `more than ${MAX_DAYS_AHEAD} days ahead`);
  const [h2, m2] = slot.slice(6).split(':').map(Number);
  if (date === clock.date && h2 * 60 + m2 <= clock.minutes) refuse('delivery.slot', `${slot} today has already passed`);

  const items = mergeLines(request.items);
  const count = items.reduce((sum, i) => sum + i.quantity, 0);
  if (count > settings.maxOrderItems)
    throw new HttpError(422, 'order_too_large', `${count} bouquets in one order; at most ${settings.maxOrderItems}`, {
      maxItems: settings.maxOrderItems,
    });

  const known = await prisma.product.findMany({
    where: { externalId: { in: items.map((i) => i.productId) } },
    select: { externalId: true, priceKopecks: true, available: true },
  });
  const byId = new Map(known.map((p) => [p.externalId, p]));
  for (const item of items) {
    const product = byId.get(item.productId);
    if (product && !product.available)
      throw new HttpError(409, 'product_unavailable', `product ${item.productId} is not available`, {
        productId: item.productId,
      });
  }
  const total = items.reduce((sum, i) => sum + (byId.get(i.productId)?.priceKopecks ?? 0) * i.quantity, 0);
  if (total > settings.maxOrderTotalKopecks)
    throw new HttpError(
      422,
      'order_too_large',
      `the bouquets cost ${total / 100} tenge; one order may cost at most ${settings.maxOrderTotalKopecks / 100}`,
      { maxTotalKopecks: settings.maxOrderTotalKopecks },
    );
  return { ...request, items };
}
