import got, { type Got } from 'got';
import { ApplicationFailure } from '@temporalio/common';

/** The shop's production API (Bitrix back office) and its Kaspi proxy, as domain.md describes them. */
export interface ProductionProduct {
  id: number;
  title: string;
  price: string | number;
  isAvailable: boolean;
  image?: string | null;
  images?: string[] | null;
  createdAt?: string | null;
  type: string;
  discount?: string | number | null;
  composition?: string | null;
  catalogHeight?: string | null;
  catalogWidth?: string | null;
  productionTime?: string | null;
}

export interface ProductPage {
  data: ProductionProduct[];
  pagination: { total: number; limit: number; offset: number; hasMore: boolean };
}

export interface CrmOrderRequest {
  railway_order_id: string;
  customer_phone: string;
  pickup: 'Y' | 'N';
  recipient_name?: string;
  recipient_phone?: string;
  delivery_address?: string;
  delivery_date: string;
  delivery_time: string;
  notes?: string;
  delivery_fee: number;
  items: { product_id: number; quantity: number; price: number; name: string }[];
  total_price: number;
}

export interface CrmOrderDetail {
  id: number;
  status_key?: string;
  raw?: { statusId?: string; isPayed?: boolean; assembledImage?: string | null };
}

export interface KaspiPayment {
  externalId: string;
  status: string;
}

export interface ProductionApiOptions {
  baseUrl: string;
  token: string;
  cityId: number;
  timeoutMs?: number;
}

export type ProductionApi = ReturnType<typeof createProductionApi>;

const KASPI_UNAVAILABLE = '-999';

/**
 * How a failed call ended, which decides whether a retry is safe:
 * - `Rejected`: the service answered no; retrying will not change it (non-retryable).
 * - `Unavailable`: the service answered that it did nothing (429, Kaspi -999, a bad token, connection refused); a retry is safe.
 * - `NoAnswer`: the request may have been carried out (timeout, reset, a 5xx): the outcome is unknown.
 */
export const PRODUCTION_API_FAILURES = {
  rejected: 'ProductionApiRejected',
  unavailable: 'ProductionApiUnavailable',
  noAnswer: 'ProductionApiNoAnswer',
} as const;

/** True when a call failed without saying whether it happened (see PRODUCTION_API_FAILURES). */
export const outcomeUnknown = (err: unknown): boolean =>
  err instanceof ApplicationFailure && err.type === PRODUCTION_API_FAILURES.noAnswer;

const NOT_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Thin client: one method per route, no retries (Temporal retries activities). */
export function createProductionApi({ baseUrl, token, cityId, timeoutMs = 15_000 }: ProductionApiOptions) {
  const http: Got = got.extend({
    prefixUrl: baseUrl.replace(/\/$/, ''),
    headers: { authorization: `Bearer ${token}`, 'x-city': String(cityId) },
    searchParams: { cityId },
    retry: { limit: 0 },
    timeout: { request: timeoutMs },
    throwHttpErrors: false,
    responseType: 'json',
  });

  async function send(
    method: 'get' | 'post',
    path: string,
    options: { searchParams?: Record<string, string | number>; json?: Record<string, unknown> },
  ) {
    try {
      return await http<unknown>(path, { method, ...options, searchParams: { cityId, ...options.searchParams } });
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const notReached = NOT_REACHED.has(code);
      throw ApplicationFailure.create({
        type: notReached ? PRODUCTION_API_FAILURES.unavailable : PRODUCTION_API_FAILURES.noAnswer,
        message: `production API ${path}: ${notReached ? 'not reached' : 'no answer'} (${code || (err as Error).message})`,
      });
    }
  }

  async function call<T>(
    method: 'get' | 'post',
    path: string,
    options: { searchParams?: Record<string, string | number>; json?: Record<string, unknown> } = {},
  ): Promise<T> {
    const response = await send(method, path, options);
    const body = (response.body || undefined) as Record<string, unknown> | undefined;
    if (response.statusCode >= 500) {
      throw ApplicationFailure.create({
        type: PRODUCTION_API_FAILURES.noAnswer,
        message: `production API ${path} answered ${response.statusCode}`,
      });
    }
    if (response.statusCode === 429) {
      throw ApplicationFailure.create({
        type: PRODUCTION_API_FAILURES.unavailable,
        message: `production API ${path} answered 429`,
      });
    }
    if (response.statusCode >= 400 || body?.success === false || body?.status === false) {
      const reason = typeof body?.error === 'string' ? body.error : JSON.stringify(body?.error ?? body?.data ?? body);
      // Refusals will not change on retry, except a bad token (fixable) and Kaspi's -999 "service unavailable".
      const kaspiCodes = Object.keys((body?.data as { errors?: object } | undefined)?.errors ?? {});
      const transient = response.statusCode === 401 || kaspiCodes.includes(KASPI_UNAVAILABLE);
      throw ApplicationFailure.create({
        type: transient ? PRODUCTION_API_FAILURES.unavailable : PRODUCTION_API_FAILURES.rejected,
        message: `production API ${path} refused (${response.statusCode}): ${reason}`,
        details: [body ?? null],
        nonRetryable: !transient,
      });
    }
    return body as T;
  }

  return {
    listProducts: (params: { type: 'vitrina' | 'catalog'; limit: number; offset: number }) =>
      call<{ success: true } & ProductPage>('get', 'products/', { searchParams: params }),
    productDetail: async (id: number): Promise<ProductionProduct | null> => {
      try {
        return (await call<{ data: ProductionProduct }>('get', 'products/detail/', { searchParams: { id } })).data;
      } catch (err) {
        if (err instanceof ApplicationFailure && err.type === PRODUCTION_API_FAILURES.rejected) return null;
        throw err;
      }
    },
    createOrder: (order: CrmOrderRequest) =>
      call<{ status: true; order_id: number; duplicate?: boolean }>('post', 'orders/create/', { json: { ...order } }),
    orderDetail: async (id: number) =>
      (await call<{ data: CrmOrderDetail }>('get', 'orders/detail/', { searchParams: { id } })).data,
    changeStatus: (id: number, status: string) =>
      call<{ status: true }>('post', 'order/change-status/', { json: { id, status } }),
    /** The customer's answer to the florist's photo; `key` makes a retried call count once. */
    customerApproval: (body: CustomerApprovalBody) =>
      call<{ status: true; duplicate?: boolean }>('post', 'order/customer-approval/', { json: { ...body } }),
    rating: (body: RatingBody) =>
      call<{ status: true; duplicate?: boolean }>('post', 'order/rating/', { json: { ...body } }),
    kaspiCreate: async (phone: string, amount: number, message: string) =>
      (await call<{ data: KaspiPayment }>('get', 'paymentkaspi/create/', { searchParams: { phone, amount, message } }))
        .data,
    kaspiStatus: async (externalId: string) =>
      (await call<{ data: KaspiPayment }>('get', 'paymentkaspi/status/', { searchParams: { externalId } })).data,
    /** An empty 200 body also means success (domain.md). */
    kaspiRefund: async (externalId: string, amount: number) =>
      (
        await call<{ data?: { refundedAmount?: number } } | undefined>('get', 'paymentkaspi/refund/', {
          searchParams: { externalId, amount },
        })
      )?.data,
  };
}

export interface CustomerApprovalBody {
  id: number;
  key: string;
  decision: 'awaiting' | 'approved' | 'change_requested' | 'timed_out';
  photo_url: string;
  comment?: string;
}

export interface RatingBody {
  id: number;
  key: string;
  stars: number;
  comment?: string;
}
