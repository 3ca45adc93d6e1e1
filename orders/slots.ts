import { shopClock } from '../common/shop-time';
import { configuredCapacity, SHOP_SLOTS, type SlotCapacityRules } from '../common/slot-capacity';
import type { Prisma, PrismaClient } from '../db/client';

export interface SlotPlace {
  date: string;
  slot: string;
}

export interface SlotLoadView extends SlotPlace {
  capacity: number;
  taken: number;
  free: number;
  /** Set by an operator for this date, instead of SLOT_CAPACITY. */
  overridden: boolean;
}

/** The slot had no free place; `nextFree` are the next slots that still have one. */
export class SlotFullError extends Error {
  constructor(
    readonly place: SlotPlace,
    readonly nextFree: SlotPlace[],
  ) {
    super(`The slot ${place.slot} on ${place.date} is full`);
    this.name = 'SlotFullError';
  }
}

type Tx = Prisma.TransactionClient;

/**
 * Takes one place in the caller's transaction: one conditional upsert, so concurrent orders queue on the row's
 * lock and each sees the count the one before it committed. Answers false when the slot is full; the caller
 * then rolls back (a new row inserted with 0 taken, for a slot configured closed, goes with it).
 */
export async function reserveSlot(
  tx: Tx,
  rules: SlotCapacityRules,
  trackingId: string,
  { date, slot }: SlotPlace,
): Promise<boolean> {
  const configured = configuredCapacity(rules, date, slot);
  const rows = await tx.$queryRaw<{ taken: number }[]>`
    INSERT INTO "SlotLoad" ("date", "slot", "taken", "updatedAt")
    VALUES (${date}, ${slot}, CASE WHEN ${configured}::int > 0 THEN 1 ELSE 0 END, now())
    ON CONFLICT ("date", "slot") DO UPDATE SET "taken" = "SlotLoad"."taken" + 1, "updatedAt" = now()
      WHERE "SlotLoad"."taken" < COALESCE("SlotLoad"."capacity", ${configured}::int)
    RETURNING "taken"`;
  if (rows.length === 0 || rows[0].taken < 1) return false;
  await tx.slotReservation.create({ data: { trackingId, date, slot } });
  return true;
}

/** Gives the order's place back, once: only the write that marks the reservation released frees a place. */
export async function releaseSlot(tx: Tx, trackingId: string): Promise<boolean> {
  const released = await tx.$queryRaw<SlotPlace[]>`
    UPDATE "SlotReservation" SET "releasedAt" = now()
    WHERE "trackingId" = ${trackingId} AND "releasedAt" IS NULL
    RETURNING "date", "slot"`;
  if (released.length === 0) return false;
  await tx.$executeRaw`
    UPDATE "SlotLoad" SET "taken" = "taken" - 1, "updatedAt" = now()
    WHERE "date" = ${released[0].date} AND "slot" = ${released[0].slot} AND "taken" > 0`;
  return true;
}

/** Days the API looks ahead for free slots to name when one is full. */
const NEXT_FREE_DAYS = 7;

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const startMinutes = (slot: string) => Number(slot.slice(0, 2)) * 60 + Number(slot.slice(3, 5));

export interface SlotsDeps {
  prisma: PrismaClient;
  rules: SlotCapacityRules;
  shopTimeZone: string;
  now?: () => Date;
}

export type Slots = ReturnType<typeof createSlots>;

/** The read side of slot capacity and the operators' overrides. */
export function createSlots({ prisma, rules, shopTimeZone, now = () => new Date() }: SlotsDeps) {
  /** The shop's slots of these dates (and any other slot already ordered on them), with their places. */
  async function loads(dates: string[]): Promise<SlotLoadView[]> {
    const rows = await prisma.slotLoad.findMany({ where: { date: { in: dates } } });
    const byKey = new Map(rows.map((r) => [`${r.date} ${r.slot}`, r]));
    return dates.flatMap((date) => {
      const extra = rows.filter((r) => r.date === date && !SHOP_SLOTS.includes(r.slot)).map((r) => r.slot);
      return [...SHOP_SLOTS, ...extra].sort().map((slot) => {
        const row = byKey.get(`${date} ${slot}`);
        const capacity = row?.capacity ?? configuredCapacity(rules, date, slot);
        const taken = row?.taken ?? 0;
        return { date, slot, capacity, taken, free: Math.max(0, capacity - taken), overridden: row?.capacity != null };
      });
    });
  }

  return {
    rules,
    loads,

    /** Slots still ahead (in the shop's time zone) with a free place, after `after`, at most `count`. */
    async nextFree(after: SlotPlace, count = 3): Promise<SlotPlace[]> {
      const clock = shopClock(now(), shopTimeZone);
      const first = after.date > clock.date ? after.date : clock.date;
      const dates = Array.from({ length: NEXT_FREE_DAYS }, (_, i) => addDays(first, i));
      return (await loads(dates))
        .filter((l) => l.free > 0 && (l.date > after.date || (l.date === after.date && l.slot > after.slot)))
        .filter((l) => l.date > clock.date || startMinutes(l.slot) > clock.minutes)
        .slice(0, count)
        .map(({ date, slot }) => ({ date, slot }));
    },

    /** An operator's capacity for one date and slot; places already taken stay taken. */
    async override({ date, slot }: SlotPlace, capacity: number): Promise<SlotLoadView> {
      await prisma.slotLoad.upsert({
        where: { date_slot: { date, slot } },
        create: { date, slot, capacity },
        update: { capacity },
      });
      return (await loads([date])).find((l) => l.slot === slot)!;
    },
  };
}
