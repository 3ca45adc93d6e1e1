import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../db/client';
import { ORDER_ERRORS, type OrderRequest, type PricedOrder } from '../common/order';
import { shopClock } from '../common/shop-time';
import { toProductRow } from './catalog-mapping';
import type { ProductionApi } from './production-api';

export interface PricingDeps {
  prisma: PrismaClient;
  production: ProductionApi;
  deliveryFeeKopecks: number;
  shopTimeZone: string;
  /** The largest bouquets' total accepted (ORDER_MAX_TOTAL_TENGE); above it the order is refused before anything starts. */
  maxOrderTotalKopecks?: number;
  now?: () => Date;
}

const DEFAULT_MAX_TOTAL_KOPECKS = 100_000_000; // 1 000 000 ₸, as ORDER_MAX_TOTAL_TENGE

const SLOT = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const MAX_DAYS_AHEAD = 90;

function reject(type: string, message: string, details: Record<string, unknown> = {}): never {
  throw ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

/** Checks delivery rules, then prices every item from the catalog; the caller's prices never count. */
export function createPricingActivities({
  prisma,
  production,
  deliveryFeeKopecks,
  shopTimeZone,
  maxOrderTotalKopecks = DEFAULT_MAX_TOTAL_KOPECKS,
  now = () => new Date(),
}: PricingDeps) {
  async function findProduct(externalId: number) {
    const known = await prisma.product.findUnique({ where: { externalId } });
    if (known) return known;
    // Not synced yet: ask the production catalog directly and keep what it says.
    const fresh = await production.productDetail(externalId);
    if (!fresh) return null;
    const row = toProductRow(fresh);
    return prisma.product.upsert({ where: { externalId }, create: row, update: row });
  }

  return {
    async priceOrder(request: OrderRequest): Promise<PricedOrder> {
      const { delivery, recipient, items } = request;
      const clock = shopClock(now(), shopTimeZone);
      const slot = SLOT.exec(delivery.slot);
      if (!slot) reject(ORDER_ERRORS.invalid, `delivery.slot must look like 14:00-16:00`, { field: 'delivery.slot' });
      const [, h1, m1, h2, m2] = slot.map(Number);
      if (h1 * 60 + m1 >= h2 * 60 + m2)
        reject(ORDER_ERRORS.invalid, 'delivery.slot must end after it starts', { field: 'delivery.slot' });
      if (delivery.date < clock.date)
        reject(ORDER_ERRORS.invalid, `delivery.date ${delivery.date} is in the past`, { field: 'delivery.date' });
      if (delivery.date === clock.date && h2 * 60 + m2 <= clock.minutes) {
        reject(ORDER_ERRORS.invalid, `the slot ${delivery.slot} today has already passed`, { field: 'delivery.slot' });
      }
      const latest = new Date(now().getTime() + MAX_DAYS_AHEAD * 86_400_000).toISOString().slice(0, 10);
      if (delivery.date > latest)
        reject(ORDER_ERRORS.invalid, `delivery.date is more than ${MAX_DAYS_AHEAD} days ahead`, {
          field: 'delivery.date',
        });
      if (delivery.type === 'delivery') {
        if (!recipient?.name?.trim())
          reject(ORDER_ERRORS.invalid, 'recipient.name is required for delivery', { field: 'recipient.name' });
        if (!delivery.address?.trim())
          reject(ORDER_ERRORS.invalid, 'delivery.address is required for delivery', { field: 'delivery.address' });
      }

      const priced = [];
      for (const item of items) {
        const product = await findProduct(item.productId);
        if (!product)
          reject(ORDER_ERRORS.productUnknown, `product ${item.productId} does not exist`, {
            productId: item.productId,
          });
        if (!product.available)
          reject(ORDER_ERRORS.productUnavailable, `product ${item.productId} is not available`, {
            productId: item.productId,
          });
        priced.push({
          productId: item.productId,
          title: product.title,
          quantity: item.quantity,
          priceKopecks: Number(product.priceKopecks),
        });
      }
      const fee = delivery.type === 'delivery' ? deliveryFeeKopecks : 0;
      const itemsTotal = priced.reduce((sum, i) => sum + i.priceKopecks * i.quantity, 0);
      if (itemsTotal > maxOrderTotalKopecks)
        reject(
          ORDER_ERRORS.invalid,
          `the bouquets' total is above the shop's maximum of ${maxOrderTotalKopecks / 100} ₸`,
          {
            field: 'items',
            maxTotalKopecks: maxOrderTotalKopecks,
          },
        );
      return { items: priced, deliveryFeeKopecks: fee, totalKopecks: itemsTotal + fee };
    },
  };
}
