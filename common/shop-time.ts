/** The instant a shop-time wall clock reading ("2026-12-01", "09:00") names in `timeZone`. */
export function shopInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  // The zone's offset at the guess, then once more at the corrected instant (a DST change in between).
  let at = wall - offsetMs(wall, timeZone);
  at = wall - offsetMs(at, timeZone);
  return new Date(at);
}

/** Today's date and the minutes since midnight in the shop's time zone. */
export function shopClock(now: Date, timeZone: string): { date: string; minutes: number } {
  const parts = wallClock(now.getTime(), timeZone);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

function offsetMs(at: number, timeZone: string): number {
  const parts = wallClock(at, timeZone);
  const shown = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
  return shown - Math.floor(at / 60_000) * 60_000;
}

/** The wall clock's fields (year … minute, zero-padded) at instant `at` in `timeZone`. */
function wallClock(at: number, timeZone: string): Record<string, string> {
  return Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
}

// Building a DateTimeFormat costs far more than using one, and every order asks the clock several times.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
