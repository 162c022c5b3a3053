import { z } from "zod";

const MAX_TIME_ZONE_CHARS = 64;

/** True for a time zone the runtime's ICU knows (`Europe/Paris`, `UTC`, `America/Argentina/Buenos_Aires`). */
function isTimeZone(value: string): boolean {
  if (value.length === 0 || value.length > MAX_TIME_ZONE_CHARS) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The name the runtime files a zone under (`utc` → `UTC`; an alias may become its canonical name). */
export function canonicalTimeZone(value: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
}

export const TimeZone = z
  .string({ error: "tz must be an IANA time zone such as Europe/Paris" })
  .refine(isTimeZone, "tz must be an IANA time zone such as Europe/Paris")
  .meta({ description: "An IANA time zone, e.g. `Europe/Paris`." });

/** Today's date (`YYYY-MM-DD`) and the time (`HH:MM`) on a wall clock in `timeZone`. */
export function wallClock(timeZone: string, now = new Date()): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00";
  return { date: `${part("year")}-${part("month")}-${part("day")}`, time: `${part("hour")}:${part("minute")}` };
}

/** The calendar date `days` after `date` (both `YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** The zone this runtime is in: in a browser, the user's own. */
export const localTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
