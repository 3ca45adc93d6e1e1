/** Delivery slot capacity as configured in SLOT_CAPACITY, e.g. `10, sat|sun=15, fri 18:00-20:00=4`. */

/** The shop's delivery slots, the same every day. */
export const SHOP_SLOTS = ['10:00-12:00', '12:00-14:00', '14:00-16:00', '16:00-18:00', '18:00-20:00', '20:00-22:00'];

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SLOT = /^\d\d:\d\d-\d\d:\d\d$/;

/** Places per slot: the default, then per weekday (0 = Sunday), per slot, per weekday and slot (most specific wins). */
export interface SlotCapacityRules {
  default: number;
  /** Keys: "sat", "18:00-20:00", "fri 18:00-20:00". */
  rules: Record<string, number>;
}

/** Reads `N` (every slot) and `days[ slot]=N` / `slot=N` parts; throws naming the part it cannot read. */
export function parseSlotCapacity(text: string): SlotCapacityRules {
  const parsed: SlotCapacityRules = { default: -1, rules: {} };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const bare = /^\d{1,5}$/.exec(part);
    if (bare) {
      parsed.default = Number(part);
      continue;
    }
    const match = /^([a-z|]+)?\s*(\d\d:\d\d-\d\d:\d\d)?\s*=\s*(\d{1,5})$/i.exec(part);
    const days = match?.[1]?.toLowerCase().split('|');
    if (!match || (!days && !match[2]) || days?.some((d) => !WEEKDAYS.includes(d)))
      throw new Error(`cannot read "${part}": use N, day|day=N, day HH:MM-HH:MM=N or HH:MM-HH:MM=N (days: mon..sun)`);
    const slot = match[2];
    if (slot && !SLOT.test(slot)) throw new Error(`cannot read "${part}": the slot must be HH:MM-HH:MM`);
    for (const day of days ?? ['']) parsed.rules[[day, slot].filter(Boolean).join(' ')] = Number(match[3]);
  }
  if (parsed.default < 0) throw new Error('no default: start with the places of every slot, e.g. "10, sat|sun=15"');
  return parsed;
}

/** The configured places of `slot` on `date` (YYYY-MM-DD, the shop's calendar). */
export function configuredCapacity(rules: SlotCapacityRules, date: string, slot: string): number {
  const day = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
  return rules.rules[`${day} ${slot}`] ?? rules.rules[slot] ?? rules.rules[day] ?? rules.default;
}
