import type { Config } from '../common/config';

/** The API's access rules and limits (docs/security.md). */
export interface ApiSettings {
  /** Bearer keys of trusted clients (back-office scripts, the bot over HTTP). */
  apiKeys: string[];
  /** Checks Telegram Mini App `initData`; without it that proof is not accepted. */
  telegramBotToken?: string;
  telegramInitDataMaxAgeMs: number;
  kaspiCallbackMaxAgeMs: number;
  /** Proxies in front of the API whose X-Forwarded-For is believed (0: the socket's address counts). */
  trustProxyHops: number;
  rateLimitWindowMs: number;
  rateLimitPerAddress: number;
  ordersPerAddress: number;
  ordersPerPhone: number;
  phoneWindowMs: number;
  maxOrderTotalKopecks: number;
  /** Bouquets in one order, all lines together. */
  maxOrderItems: number;
  photoSearchConcurrency: number;
  photoMaxPixels: number;
  /** Hosts a CRM photo URL may point at (".example.com" also allows its subdomains). */
  crmPhotoHosts: string[];
  shopTimeZone: string;
}

/** The configuration's defaults, for an app built without a Config (tests, benchmarks): loopback photo hosts only. */
export const DEFAULT_API_SETTINGS: ApiSettings = {
  apiKeys: [],
  telegramInitDataMaxAgeMs: 3_600_000,
  kaspiCallbackMaxAgeMs: 5 * 60_000,
  trustProxyHops: 0,
  rateLimitWindowMs: 60_000,
  rateLimitPerAddress: 300,
  ordersPerAddress: 20,
  ordersPerPhone: 5,
  phoneWindowMs: 3_600_000,
  maxOrderTotalKopecks: 1_000_000 * 100,
  maxOrderItems: 30,
  photoSearchConcurrency: 2,
  photoMaxPixels: 40_000_000,
  crmPhotoHosts: ['127.0.0.1', 'localhost'],
  shopTimeZone: 'Asia/Almaty',
};

export const apiSettingsFromConfig = (config: Config): ApiSettings => ({
  apiKeys: config.API_KEYS,
  telegramBotToken: config.TELEGRAM_BOT_TOKEN,
  telegramInitDataMaxAgeMs: config.TELEGRAM_INIT_DATA_MAX_AGE,
  kaspiCallbackMaxAgeMs: config.KASPI_CALLBACK_MAX_AGE,
  trustProxyHops: config.TRUST_PROXY_HOPS,
  rateLimitWindowMs: config.RATE_LIMIT_WINDOW,
  rateLimitPerAddress: config.RATE_LIMIT_PER_ADDRESS,
  ordersPerAddress: config.RATE_LIMIT_ORDERS_PER_ADDRESS,
  ordersPerPhone: config.RATE_LIMIT_ORDERS_PER_PHONE,
  phoneWindowMs: config.RATE_LIMIT_PHONE_WINDOW,
  maxOrderTotalKopecks: config.ORDER_MAX_TOTAL_TENGE * 100,
  maxOrderItems: config.ORDER_MAX_ITEMS,
  photoSearchConcurrency: config.PHOTO_SEARCH_CONCURRENCY,
  photoMaxPixels: config.PHOTO_MAX_PIXELS,
  crmPhotoHosts: config.CRM_PHOTO_HOSTS ?? [new URL(config.PRODUCTION_API_URL).hostname],
  shopTimeZone: config.SHOP_TIMEZONE,
});
