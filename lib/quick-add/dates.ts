import * as de from "chrono-node/de";
import * as en from "chrono-node/en";
import * as fr from "chrono-node/fr";
import { addDays, wallClock } from "../time-zone";

/** The first date expression chrono finds in `text` (offsets into it), as a wall-clock date and optional time. */
export type FoundDue = { start: number; end: number; date: string; time: string | null };

type Chrono = typeof en.casual;
type ParsedResult = ReturnType<Chrono["parse"]>[number];
/** A chrono result and where it is in the text (possibly a tail of chrono's own match). */
type Hit = { index: number; text: string; result: ParsedResult };

type DateLocale = {
  parser: Chrono;
  /** A word just before the expression that belongs to it ("at noon", "by friday"): removed from the title with it. */
  connectors: string[];
  /** Words that are weekday abbreviations but, alone, far more often something else ("sun cream", "la mer"). */
  ambiguous: string[];
  /** A weekday with one of these means the past one ("last friday"); other bare weekdays mean the next one. */
  past: RegExp;
};

const ENGLISH = {
  connectors: ["at", "on", "by", "due"],
  ambiguous: ["sun", "sat", "wed"],
  past: /(?:^|\s)(?:last|past|previous)(?=\s|$)/i,
};
const LOCALES = {
  "en-US": { parser: en.casual, ...ENGLISH },
  "en-GB": { parser: en.GB, ...ENGLISH },
  fr: {
    parser: fr.casual,
    connectors: ["à", "le", "pour"],
    ambiguous: ["mar", "mer", "jeu", "sam", "dim"],
    past: /(?:^|\s)(?:dernier|dernière|passé|passée|précédent|précédente)(?=\s|$)/i,
  },
  de: {
    parser: de.casual,
    connectors: ["am", "um", "bis", "ab"],
    ambiguous: ["mo", "di", "mi", "do", "fr", "sa", "so"],
    past: /(?:^|\s)(?:letzte[nmrs]?|vorige[nmrs]?|vergangene[nmrs]?)(?=\s|$)/i,
  },
} satisfies Record<string, DateLocale>;

/** Regions whose English writes the month first (5/12 = May 12); other English, and other languages, day first. */
const MONTH_FIRST_REGIONS = new Set(["us", "ca", "ph", "as", "gu", "mp", "pr", "um", "vi"]);

/**
 * French (`fr`, `fr-CA`…) and German (`de`, `de-AT`…) have their own parsers; everything else is read as English:
 * plain `en` and US English month first, other English (`en-GB`, `en-AU`…) and unsupported languages day first.
 */
export function dateLocale(locale: string): DateLocale {
  const [language, ...subtags] = locale.trim().replace(/_/g, "-").toLowerCase().split("-");
  if (language === "fr") return LOCALES.fr;
  if (language === "de") return LOCALES.de;
  const region = subtags.find((subtag) => /^[a-z]{2}$/.test(subtag));
  const monthFirst = language === "en" && (region === undefined || MONTH_FIRST_REGIONS.has(region));
  return monthFirst ? LOCALES["en-US"] : LOCALES["en-GB"];
}

const pad = (value: number, length = 2) => String(value).padStart(length, "0");
const isoDate = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** A real calendar date, years 1–9999 (what a task's due_date may hold). */
function validDate(year: number, month: number, day: number): boolean {
  if (year < 1 || year > 9999) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Finds the first date expression in `text` (where the recognised markers are already masked), in the user's wall
 * clock. chrono works on a Date's local fields, so it is handed a Date whose local fields are the user's wall clock
 * in `timeZone` at `now`, and its answer is read back from the components (year, month, day, hour, minute) rather
 * than as an instant: the result does not depend on the time zone of the machine running it (short of a DST gap of
 * that machine's zone at that very wall-clock time).
 */
export function findDue(text: string, now: Date, timeZone: string, locale: string): FoundDue | null {
  const config = dateLocale(locale);
  const wall = wallClock(timeZone, now);
  const [year, month, day] = wall.date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = wall.time.split(":").map(Number) as [number, number];
  const reference = new Date(year, month - 1, day, hour, minute);
  reference.setFullYear(year);

  for (const result of config.parser.parse(text, reference)) {
    const hit = narrowed(result, text, reference, config);
    const due = hit && wallClockOf(hit, wall, now, timeZone, config);
    if (!hit || !due) continue;
    return { start: withConnector(text, hit.index, config), end: hit.index + hit.text.length, ...due };
  }
  return null;
}

/** The result, or the part of it that stands without a leading stray word ("chapter 11 tomorrow"), or null. */
function narrowed(result: ParsedResult, text: string, reference: Date, config: DateLocale): Hit | null {
  const end = result.index + result.text.length;
  // Inside a word ("fr" in "früh"): chrono's word boundaries are ASCII ones.
  if (WORD_CHAR.test(text[result.index - 1] ?? "") || WORD_CHAR.test(text[end] ?? "")) return null;
  const words = result.text.split(/\s+/);
  const firstWord = (words[0] ?? "").toLowerCase();
  const stray = /^\d{1,2}$/.test(firstWord) || config.ambiguous.includes(firstWord);
  if (stray && words.length > 1) {
    // "11 tomorrow", "mer demain": keep the rest only if it is a date of its own starting right there.
    const offset = result.index + result.text.indexOf(words[1] ?? "", firstWord.length);
    const rest = config.parser.parse(text.slice(offset), reference)[0];
    if (rest && rest.index === 0 && acceptable(rest)) return { index: offset, text: rest.text, result: rest };
  }
  if (config.ambiguous.includes(result.text.toLowerCase())) return null;
  return acceptable(result) ? { index: result.index, text: result.text, result } : null;
}

function acceptable(result: ParsedResult): boolean {
  const tags = result.tags();
  // "now" is not a due date a task is given.
  if (tags.has("casualReference/now")) return false;
  const start = result.start;
  // A bare month ("June", "march on") is too often not a date at all.
  const monthOnly =
    start.isCertain("month") && !start.isCertain("day") && !start.isCertain("weekday") && !start.isCertain("hour");
  return !(monthOnly && !tags.has("result/relativeDate"));
}

/** The date and time the result means in the user's zone, forward-looking like Todoist. */
function wallClockOf(
  { text, result }: Hit,
  wall: { date: string; time: string },
  now: Date,
  timeZone: string,
  config: DateLocale,
): { date: string; time: string | null } | null {
  const start = result.start;
  const tags = result.tags();
  const relative = tags.has("result/relativeDate");
  const hasTime = start.isCertain("hour");
  const onlyTime =
    !relative &&
    !start.isCertain("day") &&
    !start.isCertain("weekday") &&
    !start.isCertain("month") &&
    !start.isCertain("year");
  let year = start.get("year") ?? 0;
  const month = start.get("month") ?? 0;
  const day = start.get("day") ?? 0;
  const hour = start.get("hour") ?? 0;
  const minute = start.get("minute") ?? 0;

  // A time zone written in the text ("9am EST", an ISO time with Z): the same instant on the user's clock.
  if (hasTime && start.isCertain("timezoneOffset") && !tags.has("result/relativeDateAndTime")) {
    if (!validDate(year, month, day)) return null;
    let instant = Date.UTC(year, month - 1, day, hour, minute) - (start.get("timezoneOffset") ?? 0) * 60_000;
    if (onlyTime && instant < now.getTime()) instant += 86_400_000;
    const there = wallClock(timeZone, new Date(instant));
    return { date: there.date, time: there.time };
  }

  // A year-less date that has passed this year is next year's ("Feb 3" in March); the user's year, not chrono's guess.
  if (!relative && start.isCertain("month") && start.isCertain("day") && !start.isCertain("year")) {
    year = Number(wall.date.slice(0, 4));
    if (isoDate(year, month, day) < wall.date || !validDate(year, month, day)) {
      year += 1;
      while (!validDate(year, month, day) && year < Number(wall.date.slice(0, 4)) + 8) year += 1;
    }
  }
  if (!validDate(year, month, day)) return null;
  let date = isoDate(year, month, day);
  const time = hasTime ? `${pad(hour)}:${pad(minute)}` : null;

  // A bare weekday is the next one (today's included), unless it says "last".
  const onlyWeekday = start.isCertain("weekday") && !start.isCertain("day") && !start.isCertain("month");
  if (!relative && onlyWeekday && !config.past.test(text)) {
    while (date < wall.date) date = addDays(date, 7);
  }
  // A time alone is today's, or tomorrow's once it has passed (Todoist does the same).
  if (onlyTime && time !== null && `${date} ${time}` < `${wall.date} ${wall.time}`) date = addDays(date, 1);
  return { date, time };
}

/** Includes a connector word just before the expression ("at noon"), when chrono left it out. */
function withConnector(text: string, start: number, config: DateLocale): number {
  const before = /(\S+)(\s+)$/u.exec(text.slice(0, start));
  if (!before?.[1] || !config.connectors.includes(before[1].toLowerCase())) return start;
  return start - before[0].length;
}
