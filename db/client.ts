import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/client';

/** Prisma 7 client over node-postgres; the caller owns it and must `$disconnect()` it. */
export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

export { Prisma, PrismaClient };
export type {
  BotSession,
  Customer,
  Order,
  OrderItem,
  OrderStatusChange,
  Payment,
  Product,
  ProductPhoto,
  WebhookEvent,
} from './generated/client';

/** A plain object or array as a JSON column's value. */
export const asJson = (value: object): Prisma.InputJsonValue =>
  JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
