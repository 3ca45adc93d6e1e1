import type { Api } from 'grammy';
import type { PrismaClient } from '../db/client';
import { createCrmActivities } from './crm';
import { createKaspiActivities, type KaspiDeps } from './kaspi';
import { createNotificationActivities } from './notifications';
import { createOrderRecordActivities } from './order-records';
import { createPricingActivities } from './pricing';
import type { ProductionApi } from './production-api';

export interface ActivityDeps {
  prisma: PrismaClient;
  production: ProductionApi;
  telegram: Api;
  deliveryFeeKopecks: number;
  shopTimeZone: string;
  afterPaymentCreated?: KaspiDeps['afterPaymentCreated'];
}

/** Every activity of the order workflow, built from injected clients. */
export function createOrderActivities(deps: ActivityDeps) {
  return {
    ...createPricingActivities(deps),
    ...createOrderRecordActivities(deps),
    ...createCrmActivities(deps),
    ...createKaspiActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
