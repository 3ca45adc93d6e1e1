import { ApplicationFailure } from '@temporalio/common';
import type { OrderActivities } from '../../activities';
import type { OrderInput, PricedOrder } from '../../common/order';

type Calls = Record<keyof OrderActivities, number>;

/**
 * The outside world of one workflow test in memory: a CRM, a Kaspi proxy and a chat, with every
 * call counted. Workflow tests use it; the activities themselves are tested against the stand-ins.
 */
export class FakeShop {
  calls = {} as Calls;
  crmDown = false;
  kaspiRefuses = false;
  refundFailures = 0;
  crmStatus = 'N';
  assembledImage?: string;
  payments = new Map<string, string>();
  refunds: { externalId: string; amountKopecks: number }[] = [];
  crmStatusChanges: string[] = [];
  notifications: string[] = [];
  notified: { event: string; photo?: string }[] = [];
  statuses: string[] = [];
  private nextPayment = 1000;

  pay(externalId = this.lastPayment()) {
    this.payments.set(externalId, 'Processed');
  }

  lastPayment(): string {
    return [...this.payments.keys()].at(-1)!;
  }

  activities(): OrderActivities {
    const count = <T>(name: keyof OrderActivities, fn: T): T => {
      this.calls[name] = 0;
      return ((...args: unknown[]) => {
        this.calls[name]++;
        return (fn as (...a: unknown[]) => unknown)(...args);
      }) as T;
    };
    return {
      priceOrder: count('priceOrder', async (req: OrderInput): Promise<PricedOrder> => {
        if (req.items.some((i) => i.productId === 404)) {
          throw ApplicationFailure.create({
            type: 'ProductUnknown',
            message: 'product 404 does not exist',
            nonRetryable: true,
            details: [{ productId: 404 }],
          });
        }
        return {
          items: req.items.map((i) => ({ ...i, title: `Букет ${i.productId}`, priceKopecks: 1_500_000 })),
          deliveryFeeKopecks: 250_000,
          totalKopecks: 1_500_000 * req.items.reduce((s, i) => s + i.quantity, 0) + 250_000,
        };
      }),
      recordOrder: count('recordOrder', async () => undefined),
      recordStatus: count('recordStatus', async ({ status }: { status?: string }) => {
        if (status) this.statuses.push(status);
      }),
      createCrmOrder: count('createCrmOrder', async () => {
        if (this.crmDown) throw new Error('CRM is down');
        return { crmOrderId: 123901 };
      }),
      setCrmStatus: count('setCrmStatus', async ({ status }: { status: string }) => {
        if (this.crmDown) throw new Error('CRM is down');
        this.crmStatusChanges.push(status);
      }),
      getCrmOrder: count('getCrmOrder', async () => ({ status: this.crmStatus, assembledImage: this.assembledImage })),
      requestPayment: count('requestPayment', async () => {
        if (this.kaspiRefuses)
          throw ApplicationFailure.create({
            type: 'ProductionApiRejected',
            message: 'Kaspi: -1501 bad phone',
            nonRetryable: true,
          });
        const externalId = String(this.nextPayment++);
        this.payments.set(externalId, 'Wait');
        return { externalId };
      }),
      getPaymentStatus: count(
        'getPaymentStatus',
        async (externalId: string) => this.payments.get(externalId) ?? 'Error',
      ),
      refundPayment: count(
        'refundPayment',
        async ({ externalId, amountKopecks }: { externalId: string; amountKopecks: number }) => {
          if (this.refundFailures-- > 0) throw new Error('Kaspi: -999 service unavailable');
          this.refunds.push({ externalId, amountKopecks });
          return { refundedKopecks: amountKopecks };
        },
      ),
      notifyCustomer: count(
        'notifyCustomer',
        async ({ event, order }: { event: string; order: { assembledPhotoUrl?: string } }) => {
          this.notifications.push(event);
          this.notified.push({ event, photo: order.assembledPhotoUrl });
          return { sent: true };
        },
      ),
    };
  }
}

export function orderInput(overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    trackingId: `T${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    customer: { phone: '+77015211545', name: 'Айгуль', telegramChatId: 42, language: 'ru' },
    recipient: { name: 'Мария', phone: '+77011234567' },
    delivery: { type: 'delivery', address: 'Астана, ул. Кенесары 40, кв 5', date: '2026-12-01', slot: '14:00-16:00' },
    items: [{ productId: 697695, quantity: 1 }],
    paymentMethod: 'kaspi',
    settings: { paymentDeadlineMs: 30 * 60_000, latePaymentWatchMs: 24 * 3_600_000 },
    ...overrides,
  };
}
