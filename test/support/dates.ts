import { shopClock } from '../../common/shop-time';

/** A date `days` after today in the shop's time zone, as YYYY-MM-DD. */
export function shopDate(days: number): string {
  const today = shopClock(new Date(), 'Asia/Almaty').date;
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
