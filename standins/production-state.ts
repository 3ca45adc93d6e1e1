import { z } from 'zod';
import { productImageUrls, StandinProduct } from './catalog';

/** What the production API stand-in remembers: catalog, CRM orders and Kaspi payment requests. */

export const CRM_STATUSES = ['N', 'PD', 'AP', 'CO', 'DE', 'F', 'RF', 'UN'] as const;
export type CrmStatus = (typeof CRM_STATUSES)[number];
export const KASPI_STATUSES = ['QrTokenCreated', 'Wait', 'RemotePaymentCreated', 'Processed', 'Error'] as const;
export type KaspiStatus = (typeof KASPI_STATUSES)[number];

export const orderCreateBody = z.object({
  railway_order_id: z.union([z.string().min(1), z.number()]).transform(String),
  customer_phone: z.string().min(1),
  pickup: z.enum(['Y', 'N']).default('N'),
  recipient_name: z.string().optional(),
  recipient_phone: z.string().optional(),
  delivery_address: z.string().optional(),
  delivery_date: z.string().optional(),
  delivery_time: z.string().optional(),
  notes: z.string().optional(),
  delivery_fee: z.number().int().min(0).default(0),
  items: z
    .array(
      z.object({
        product_id: z.number().int().positive(),
        quantity: z.number().int().positive(),
        price: z.number().int().min(0),
        name: z.string().optional(),
      }),
    )
    .min(1),
  total_price: z.number().int().min(0),
});
export type OrderCreateBody = z.infer<typeof orderCreateBody>;

export interface CrmOrder {
  orderId: number;
  accountNumber: string;
  railwayOrderId: string;
  /** How many `/orders/create/` calls carried this order's `railway_order_id`. */
  createCalls: number;
  status: CrmStatus;
  isPayed: boolean;
  assembledImage: string | null;
  request: OrderCreateBody;
  history: { status: CrmStatus; at: string; by: 'api' | 'control' }[];
  createdAt: string;
}

export interface KaspiPayment {
  externalId: string;
  phone: string;
  amount: number;
  message: string;
  status: KaspiStatus;
  refunds: { returnOperationId: number; amount: number; at: string }[];
  refundedTotal: number;
  createdAt: string;
  updatedAt: string;
}

/** Fills what a product edited through the control routes leaves out. */
export function completeProduct(input: Partial<StandinProduct> & { id: number }, origin: string): StandinProduct {
  const images = input.images ?? (input.image ? [input.image] : productImageUrls(origin, input.id, 1));
  return {
    title: `Букет ${input.id}`,
    price: '10 000 ₸',
    isAvailable: true,
    createdAt: '2025-10-01T12:00:00+0500',
    type: 'catalog',
    discount: '0',
    composition: null,
    catalogHeight: '',
    catalogWidth: '',
    productionTime: null,
    ...input,
    images,
    image: input.image ?? images[0] ?? null,
  };
}

const now = (): string => new Date().toISOString();

export class ProductionState {
  products: StandinProduct[];
  orders: CrmOrder[] = [];
  payments: KaspiPayment[] = [];
  private nextOrderId = 123901;
  private nextExternalId = 12800627774;
  private nextReturnOperationId = 12800582793;

  constructor(private readonly initialCatalog: StandinProduct[]) {
    this.products = structuredClone(initialCatalog);
  }

  /** Back to the starting catalog with no orders or payments; ids keep counting so old ones stay unique. */
  reset(): void {
    this.products = structuredClone(this.initialCatalog);
    this.orders = [];
    this.payments = [];
  }

  findOrder(id: number): CrmOrder | undefined {
    return this.orders.find((o) => o.orderId === id);
  }

  findPayment(externalId: string): KaspiPayment | undefined {
    return this.payments.find((p) => p.externalId === externalId);
  }

  /** Creates a CRM order, or finds the one already created for this `railway_order_id`. */
  createOrder(body: OrderCreateBody): { order: CrmOrder; duplicate: boolean } {
    const existing = this.orders.find((o) => o.railwayOrderId === body.railway_order_id);
    if (existing) {
      existing.createCalls += 1;
      return { order: existing, duplicate: true };
    }
    const orderId = this.nextOrderId++;
    const order: CrmOrder = {
      orderId,
      accountNumber: String(orderId),
      railwayOrderId: body.railway_order_id,
      createCalls: 1,
      status: 'N',
      isPayed: false,
      assembledImage: null,
      request: body,
      history: [{ status: 'N', at: now(), by: 'api' }],
      createdAt: now(),
    };
    this.orders.push(order);
    return { order, duplicate: false };
  }

  setOrderStatus(order: CrmOrder, status: CrmStatus, by: 'api' | 'control', assembledImage?: string): CrmStatus {
    const previous = order.status;
    order.status = status;
    if (status === 'PD') order.isPayed = true;
    if (assembledImage) order.assembledImage = assembledImage;
    order.history.push({ status, at: now(), by });
    return previous;
  }

  createPayment(phone: string, amount: number, message: string): KaspiPayment {
    const payment: KaspiPayment = {
      externalId: String(this.nextExternalId++),
      phone,
      amount,
      message,
      status: 'Wait',
      refunds: [],
      refundedTotal: 0,
      createdAt: now(),
      updatedAt: now(),
    };
    this.payments.push(payment);
    return payment;
  }

  refund(payment: KaspiPayment, amount: number): { returnOperationId: number; amount: number } {
    const refund = { returnOperationId: this.nextReturnOperationId++, amount, at: now() };
    payment.refunds.push(refund);
    payment.refundedTotal += amount;
    payment.updatedAt = now();
    return refund;
  }
}
