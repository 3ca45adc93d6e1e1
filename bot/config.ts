import type { Config } from '../common/config';
import { SHOP_SLOTS } from '../common/slot-capacity';
import type { BotConfig } from './context';

export const DEFAULT_SLOTS = SHOP_SLOTS;

/** The bot's part of the configuration. */
export function botConfigFrom(config: Config): BotConfig {
  return {
    apiRoot: config.TELEGRAM_API_ROOT,
    shopTimeZone: config.SHOP_TIMEZONE,
    shop: { address: config.SHOP_ADDRESS, hours: config.SHOP_HOURS, phone: config.SHOP_PHONE },
    deliveryFeeKopecks: config.DELIVERY_FEE_TENGE * 100,
    slots: DEFAULT_SLOTS,
    checkoutTtlMs: 2 * 3_600_000,
    retention: { sessionMs: config.BOT_SESSION_TTL, checkoutMs: 24 * 3_600_000 },
    rateLimit: { limit: 30, windowMs: 10_000 },
  };
}
