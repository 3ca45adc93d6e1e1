import { z } from 'zod';
import { productImageUrls, StandinProduct } from './catalog';
import type { SavedState } from './state-file';

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
  /** The customer's answers to the florist's photos (`/order/customer-approval/`), latest last. */
  approvals?: CustomerApproval[];
  rating?: { stars: number; comment?: string; key: string; at: string };
}

export const APPROVAL_DECISIONS = ['awaiting', 'approved', 'change_requested', 'timed_out'] as const;
export interface CustomerApproval {
  key: string;
  decision: (typeof APPROVAL_DECISIONS)[number];
  photoUrl: string;
  comment?: string;
  at: string;
}

export const customerApprovalBody = z.object({
  id: z.number().int(),
  key: z.string().min(1).max(200),
  decision: z.enum(APPROVAL_DECISIONS),
  photo_url: z.string().url(),
  comment: z.string().max(500).optional(),
});
export const ratingBody = z.object({
  id: z.number().int(),
  key: z.string().min(1).max(200),
  stars: z.number().int().min(1).max(5),
  comment: z.string().max(500).optional(),
});

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

/** Everything the stand-in keeps across restarts (`createProductionApiStandin`'s `stateFile`). */
export interface ProductionSnapshot {
  version: 1;
  /** The origin the product image URLs were made for: a restart on another port rewrites them. */
  origin: string;
  products: StandinProduct[];
  orders: CrmOrder[];
  payments: KaspiPayment[];
  counters: { nextOrderId: number; nextExternalId: number; nextReturnOperationId: number };
}

/** One journal entry (standins/state-file.ts): the records changed since the last, whole; applying it twice is harmless. */
export interface ProductionChange {
  /** Back to the starting catalog with no orders or payments, before the rest of the entry. */
  reset?: true;
  products?: StandinProduct[];
  orders?: CrmOrder[];
  payments?: KaspiPayment[];
  counters: ProductionSnapshot['counters'];
}

export interface CatalogChange {
  replace?: StandinProduct[];
  upsert?: (Partial<StandinProduct> & { id: number })[];
  remove?: number[];
}

export class ProductionState {
  products: StandinProduct[];
  orders: CrmOrder[] = [];
  payments: KaspiPayment[] = [];
  private nextOrderId = 123901;
  private nextExternalId = 12800627774;
  private nextReturnOperationId = 12800582793;

  /** What changed since the last takeChanges(), for the state file's journal. */
  private readonly dirty = {
    reset: false,
    products: false,
    orders: new Set<CrmOrder>(),
    payments: new Set<KaspiPayment>(),
  };

  constructor(
    private readonly initialCatalog: StandinProduct[],
    /** Called after every change (the stand-in saves its state file then). */
    private readonly notify: () => void = () => {},
  ) {
    this.products = structuredClone(initialCatalog);
  }

  private onChange(record?: { order?: CrmOrder; payment?: KaspiPayment; products?: true }): void {
    if (record?.order) this.dirty.orders.add(record.order);
    if (record?.payment) this.dirty.payments.add(record.payment);
    if (record?.products) this.dirty.products = true;
    this.notify();
  }

  /** Back to the starting catalog with no orders or payments; ids keep counting so old ones stay unique. */
  reset(): void {
    this.products = structuredClone(this.initialCatalog);
    this.orders = [];
    this.payments = [];
    Object.assign(this.dirty, { reset: true, products: false });
    this.dirty.orders.clear();
    this.dirty.payments.clear();
    this.onChange();
  }

  takeChanges(): ProductionChange | undefined {
    const { reset, products, orders, payments } = this.dirty;
    if (!reset && !products && orders.size === 0 && payments.size === 0) return undefined;
    const change: ProductionChange = {
      ...(reset && { reset: true as const }),
      ...(products && { products: this.products }),
      ...(orders.size > 0 && { orders: [...orders] }),
      ...(payments.size > 0 && { payments: [...payments] }),
      counters: this.counters(),
    };
    Object.assign(this.dirty, { reset: false, products: false });
    orders.clear();
    payments.clear();
    return change;
  }

  private counters(): ProductionSnapshot['counters'] {
    const { nextOrderId, nextExternalId, nextReturnOperationId } = this;
    return { nextOrderId, nextExternalId, nextReturnOperationId };
  }

  snapshot(origin: string): ProductionSnapshot {
    return {
      version: 1,
      origin,
      products: this.products,
      orders: this.orders,
      payments: this.payments,
      counters: this.counters(),
    };
  }

  /**
   * Takes over a saved state: the snapshot, then the journal's changes after it (made on the snapshot's origin).
   * Counters never go below an id already handed out.
   */
  restore(saved: SavedState<ProductionSnapshot, ProductionChange>, origin: string): void {
    const from = saved.snapshot?.origin;
    const moved = (url: string) => (from && url.startsWith(`${from}/`) ? origin + url.slice(from.length) : url);
    const movedProducts = (products: StandinProduct[]) =>
      products.map((p) => ({ ...p, image: p.image === null ? null : moved(p.image), images: p.images.map(moved) }));
    if (saved.snapshot) {
      this.products = movedProducts(saved.snapshot.products);
      this.orders = saved.snapshot.orders;
      this.payments = saved.snapshot.payments;
    }
    for (const change of saved.changes) {
      if (change.reset) {
        this.products = structuredClone(this.initialCatalog);
        this.orders = [];
        this.payments = [];
      }
      if (change.products) this.products = movedProducts(change.products);
      for (const order of change.orders ?? []) putBy(this.orders, order, (o) => o.orderId);
      for (const payment of change.payments ?? []) putBy(this.payments, payment, (p) => p.externalId);
    }
    // Counters only grow: the last saved ones are the highest.
    this.raiseCounters(saved.changes.at(-1)?.counters ?? saved.snapshot?.counters);
  }

  /** Never below a saved counter, nor below an id already handed out. */
  private raiseCounters(saved?: ProductionSnapshot['counters']): void {
    const highest = (counter: number, savedCounter: number | undefined, ids: number[]) =>
      ids.reduce((max, id) => Math.max(max, id + 1), Math.max(counter, savedCounter ?? counter));
    this.nextOrderId = highest(
      this.nextOrderId,
      saved?.nextOrderId,
      this.orders.map((o) => o.orderId),
    );
    this.nextExternalId = highest(
      this.nextExternalId,
      saved?.nextExternalId,
      this.payments.map((p) => Number(p.externalId)),
    );
    this.nextReturnOperationId = highest(
      this.nextReturnOperationId,
      saved?.nextReturnOperationId,
      this.payments.flatMap((p) => p.refunds.map((r) => r.returnOperationId)),
    );
  }

  /** Replaces, edits or removes products; `complete` fills what an edit leaves out. */
  editCatalog(change: CatalogChange, complete: (p: Partial<StandinProduct> & { id: number }) => StandinProduct): void {
    if (change.replace) this.products = change.replace.map(complete);
    for (const patch of change.upsert ?? []) {
      const index = this.products.findIndex((p) => p.id === patch.id);
      if (index >= 0) this.products[index] = complete({ ...this.products[index], ...patch });
      else this.products.push(complete(patch));
    }
    this.products = this.products.filter((p) => !change.remove?.includes(p.id));
    this.onChange({ products: true });
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
      this.onChange({ order: existing });
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
    this.onChange({ order });
    return { order, duplicate: false };
  }

  /** Delivery waits while the customer has not approved the photo (or asked for a change not yet redone). */
  approvalPending(order: CrmOrder): boolean {
    const last = order.approvals?.at(-1)?.decision;
    return last === 'awaiting' || last === 'change_requested';
  }

  /** Records an answer once per key; answers whether it was already there. */
  addApproval(order: CrmOrder, approval: Omit<CustomerApproval, 'at'>): boolean {
    order.approvals ??= [];
    if (order.approvals.some((a) => a.key === approval.key)) return true;
    order.approvals.push({ ...approval, at: now() });
    this.onChange({ order });
    return false;
  }

  /** One rating per order: the same key again is a duplicate, another key a conflict (null). */
  setRating(order: CrmOrder, rating: { key: string; stars: number; comment?: string }): boolean | null {
    if (order.rating) return order.rating.key === rating.key ? true : null;
    order.rating = { ...rating, at: now() };
    this.onChange({ order });
    return false;
  }

  setOrderStatus(order: CrmOrder, status: CrmStatus, by: 'api' | 'control', assembledImage?: string): CrmStatus {
    const previous = order.status;
    order.status = status;
    if (status === 'PD') order.isPayed = true;
    if (assembledImage) order.assembledImage = assembledImage;
    order.history.push({ status, at: now(), by });
    this.onChange({ order });
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
    this.onChange({ payment });
    return payment;
  }

  /** The customer paying or declining in the Kaspi app. */
  setPaymentStatus(payment: KaspiPayment, status: KaspiStatus): void {
    payment.status = status;
    payment.updatedAt = now();
    this.onChange({ payment });
  }

  refund(payment: KaspiPayment, amount: number): { returnOperationId: number; amount: number } {
    const refund = { returnOperationId: this.nextReturnOperationId++, amount, at: now() };
    payment.refunds.push(refund);
    payment.refundedTotal += amount;
    payment.updatedAt = now();
    this.onChange({ payment });
    return refund;
  }
}

/** Replaces the record with the same key, or adds it. */
function putBy<T>(records: T[], record: T, key: (r: T) => unknown): void {
  const index = records.findIndex((r) => key(r) === key(record));
  if (index >= 0) records[index] = record;
  else records.push(record);
}
