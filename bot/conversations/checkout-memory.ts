import type { PrismaClient } from '../../db/client';
import { PrismaStorage } from '../storage';
import type { CheckoutArgs } from './checkout-draft';

/** What the shop remembers of a customer, offered as buttons: plain data for the conversation's replay log. */
export interface Remembered {
  /** The phone of the customer's last order (their Kaspi number). */
  phone?: string;
  address?: string;
  recipient?: { name: string; phone?: string };
}

export async function rememberedFor(prisma: PrismaClient, telegramUserId: number): Promise<Remembered> {
  const customer = await prisma.customer.findUnique({ where: { telegramUserId: BigInt(telegramUserId) } });
  if (!customer) return {};
  const last = await prisma.order.findFirst({
    where: { customerId: customer.id, deliveryType: 'delivery', address: { not: null } },
    orderBy: { createdAt: 'desc' },
  });
  return {
    phone: customer.phone ?? undefined,
    address: last?.address ?? undefined,
    recipient: last?.recipientName ? { name: last.recipientName, phone: last.recipientPhone ?? undefined } : undefined,
  };
}

/** A checkout left for a command, kept so "continue" can pick it up (pruned with the other sessions). */
export const pausedCheckouts = (prisma: PrismaClient) => new PrismaStorage<CheckoutArgs>(prisma, 'paused:');
