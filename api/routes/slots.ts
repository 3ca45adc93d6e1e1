import { Router } from 'express';
import { z } from 'zod';
import type { Slots } from '../../orders/slots';
import { callerOf, requireAllowed } from '../access';
import { parseOrThrow } from '../errors';
import { calendarDate, slot } from '../order-request';

const dayQuery = z.strictObject({ date: calendarDate });
const placeParams = z.strictObject({ date: calendarDate, slot });
const overrideBody = z.strictObject({ capacity: z.number().int().min(0).max(10_000) });

/** Delivery slot capacity: places per slot of a day for anyone; an operator's capacity for one date. */
export function slotRoutes({ slots }: { slots: Slots }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { date } = parseOrThrow(dayQuery, req.query);
    res.json({ date, slots: (await slots.loads([date])).map(({ date: _date, ...load }) => load) });
  });

  router.put('/:date/:slot', async (req, res) => {
    requireAllowed(callerOf(res), 'overrideSlotCapacity');
    const place = parseOrThrow(placeParams, req.params);
    const { capacity } = parseOrThrow(overrideBody, req.body ?? {});
    res.json(await slots.override(place, capacity));
  });

  return router;
}
