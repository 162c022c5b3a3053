import { wallClock } from "../time-zone";

export type Due = { due_date: string | null; due_time: string | null };

export type DueLabelOptions = {
  /** The user's date today, `YYYY-MM-DD`, in their time zone (see `todayIn`). */
  today: string;
  /** The user's wall-clock time, `HH:MM`: with it, a task due earlier today is overdue. */
  now?: string;
  locale: string;
  weekday?: "long" | "short";
};

export type DueLabel = {
  /** "Today 09:00", "Friday", "Fri 5 Dec", "Fri 5 Dec 2027". */
  text: string;
  /** The day part alone ("Today", "Friday", "Fri 5 Dec"). */
  day: string;
  /** The time part alone, formatted for the locale ("09:00", "9:00 AM"), or null for an all-day task. */
  time: string | null;
  /** "today", "tomorrow", "yesterday" when the day is one of those: for sentences ("Due today"). */
  relative: "today" | "tomorrow" | "yesterday" | null;
  overdue: boolean;
  /** For `<time dateTime>`: `2026-12-05` or `2026-12-05T09:00`. */
  dateTime: string;
};

const DAY_MS = 86_400_000;
const RELATIVE = { "-1": "yesterday", "0": "today", "1": "tomorrow" } as const;
const WEEKDAY_DAYS = 6;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The UI's words are English, so dates are formatted in English; the user's locale still chooses the order of day
 * and month and the clock (en-US "Fri, Dec 5" and "9:00 AM"; en-GB, fr, de "Fri 5 Dec" and "09:00").
 */
function formatLocales(locale: string): { date: string; hourCycle: Intl.DateTimeFormatOptions["hourCycle"] } {
  let resolved: string;
  try {
    resolved = Intl.getCanonicalLocales(locale)[0] ?? "en";
  } catch {
    resolved = "en";
  }
  const hourCycle = new Intl.DateTimeFormat(resolved, { hour: "numeric" }).resolvedOptions().hourCycle;
  const date = new Intl.Locale(resolved).language === "en" ? resolved : "en-GB";
  return { date, hourCycle };
}

/** The date as a UTC instant, so formatting never shifts it by the machine's zone. */
const utcDate = (date: string, time = "00:00") => new Date(`${date}T${time}:00Z`);

/** How a task's due date reads in a row ("Tomorrow 09:00"), and whether it is overdue; null without a date. */
export function dueLabel(due: Due, options: DueLabelOptions): DueLabel | null {
  const { due_date: date, due_time: time } = due;
  if (date === null) return null;
  const { today, now, locale, weekday = "long" } = options;
  const locales = formatLocales(locale);
  const days = daysBetween(today, date);
  const relative = RELATIVE[String(days) as keyof typeof RELATIVE] ?? null;

  let day: string;
  if (relative) day = capitalize(relative);
  else if (days > 1 && days <= WEEKDAY_DAYS) {
    day = new Intl.DateTimeFormat(locales.date, { weekday, timeZone: "UTC" }).format(utcDate(date));
  } else {
    day = new Intl.DateTimeFormat(locales.date, {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: date.slice(0, 4) === today.slice(0, 4) ? undefined : "numeric",
      timeZone: "UTC",
    }).format(utcDate(date));
  }

  const clock = time
    ? new Intl.DateTimeFormat(locales.date, {
        // A 24-hour clock reads "09:00"; a 12-hour one "9:00 AM".
        hour: locales.hourCycle === "h12" || locales.hourCycle === "h11" ? "numeric" : "2-digit",
        minute: "2-digit",
        hourCycle: locales.hourCycle,
        timeZone: "UTC",
      }).format(utcDate(date, time))
    : null;

  const overdue = days < 0 || (days === 0 && time !== null && now !== undefined && time < now);
  return {
    text: clock ? `${day} ${clock}` : day,
    day,
    time: clock,
    relative,
    overdue,
    dateTime: time ? `${date}T${time}` : date,
  };
}

/** The user's date today (`YYYY-MM-DD`) in their IANA time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return wallClock(timeZone, now).date;
}
