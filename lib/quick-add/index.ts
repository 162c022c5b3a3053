/**
 * Quick add: one line of text → a task's fields, Todoist-style. Pure and client-safe (no Node, no server-only).
 *
 * Syntax (markers count only at the start of a word, so `C#`, `me@example.com`, `Wow!` stay text):
 * - `#name` → list: matched, ignoring case, against the user's list names; the longest one wins, so `#work stuff`
 *   finds the list "Work stuff" when it exists. `#"Work stuff"` names it exactly. An unknown `#name` is not a list and
 *   stays in the title: hashtags are common in titles (`Fix #123`, `#throwback photo`) and Todoist, too, does not
 *   create a project from a typo; the UI may offer to create the list from that text.
 * - `@name` → tag (`@"two words"` too): any name of 1–50 characters, trailing punctuation excluded; once each,
 *   ignoring case (the first spelling stays); at most 20, later ones stay in the title.
 * - `!high` `!medium` (`!med`) `!low` `!none`, `!1` `!2` `!3` `!4`, and the words `p1` … `p4` → priority, Todoist's
 *   way round: 1 = high, 2 = medium, 3 = low, 4 = none.
 * - A date and/or time in natural language, read by chrono in the caller's locale (English, month first for `en` and
 *   `en-US`, day first for other English such as `en-GB`; French `fr`; German `de`; other languages as `en-GB`):
 *   "tomorrow 9am", "next friday", "fri", "on 5 dec", "dec 5 at 3pm", "in 3 days", "at 18:30", "2026-12-05",
 *   "demain 9h", "morgen um 9". Dates look forward, as in Todoist: a bare weekday is the next one (today included,
 *   "last friday" excepted), a year-less date that has passed is next year's, and a time alone is today's, or
 *   tomorrow's once it has passed. Past dates said as such ("yesterday") stay. Only the first date expression counts;
 *   a connector just before it ("at", "on", "by"; "à", "le"; "am", "um") goes with it. "now", a bare month ("June"),
 *   and weekday abbreviations that are mostly words ("sun", "sat", "wed"; "mer", "jeu"; "so", "do") are not dates.
 * - Only the first list, priority and date count; a later one stays in the title as text.
 * - Literal text: a backslash before a word keeps the word as typed, minus the backslash (`\#1 fan`, `\tomorrow`);
 *   a "double-quoted" phrase is kept as typed, quotes included, and nothing in it is parsed (`Watch "Friday Night"`).
 *
 * The title is what is left, whitespace collapsed and trimmed; an empty `title` means nothing was left (the task
 * needs one). Length limits (500 characters) are the task schema's to enforce.
 */
import { nameKey } from "../text";
import { wallClock } from "../time-zone";
import { findDue } from "./dates";

export type QuickAddContext = { now: Date; timeZone: string; locale: string; lists: { id: string; name: string }[] };
export type QuickAddToken = {
  kind: "due" | "list" | "priority" | "tag";
  text: string;
  start: number;
  end: number;
  label: string;
};
export type QuickAddPriority = "none" | "low" | "medium" | "high";
export type QuickAddResult = {
  title: string;
  due_date: string | null;
  due_time: string | null;
  list_id: string | null;
  priority: QuickAddPriority;
  tags: string[];
  tokens: QuickAddToken[];
};

const TAG_MAX_CHARS = 50;
const TAGS_MAX = 20;

const PRIORITIES: Record<string, QuickAddPriority> = {
  high: "high",
  medium: "medium",
  med: "medium",
  low: "low",
  none: "none",
  "1": "high",
  "2": "medium",
  "3": "low",
  "4": "none",
};
const PRIORITY_LABELS: Record<QuickAddPriority, string> = {
  high: "High priority",
  medium: "Medium priority",
  low: "Low priority",
  none: "No priority",
};
const PRIORITY_MARKER = /^(?:!(high|medium|med|low|none|[1-4])|p([1-4]))(?=[\s,.;:?)]|$)/i;
/** What may follow a list name or tag and not be part of it. */
const AFTER_NAME = /^(?:[\s,.;:!?)]|$)/;
const TRAILING_PUNCTUATION = /[,.;:!?)]+$/;

/** Text that is not the title's: a recognised token, or a literal part kept in the title but hidden from chrono. */
type Claim = { start: number; end: number; token?: QuickAddToken; dropBackslash?: boolean };

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);
const wordEnd = (input: string, from: number) => {
  let end = from;
  while (end < input.length && !isSpace(input[end])) end += 1;
  return end;
};
const charCount = (value: string) => [...value].length;

export function parseQuickAdd(input: string, context: QuickAddContext): QuickAddResult {
  const claims: Claim[] = [];
  const tags: string[] = [];
  const tagKeys = new Set<string>();
  let listId: string | null = null;
  let priority: QuickAddPriority | null = null;
  const lists = context.lists
    .filter((list) => list.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length)
    .map((list) => ({ ...list, key: nameKey(list.name) }));

  const token = (kind: QuickAddToken["kind"], start: number, end: number, label: string) =>
    claims.push({ start, end, token: { kind, text: input.slice(start, end), start, end, label } });

  let i = 0;
  while (i < input.length) {
    if (i > 0 && !isSpace(input[i - 1])) {
      i += 1;
      continue;
    }
    const char = input[i];
    const next = input[i + 1];
    // `\word`: the word as typed.
    if (char === "\\" && next !== undefined && !isSpace(next)) {
      const end = wordEnd(input, i);
      claims.push({ start: i, end, dropBackslash: true });
      i = end;
      continue;
    }
    // `"a phrase"`: kept, quotes and all.
    const closing = char === '"' ? input.indexOf('"', i + 1) : -1;
    if (closing > i + 1) {
      claims.push({ start: i, end: closing + 1 });
      i = closing + 1;
      continue;
    }
    if (char === "#" || char === "@") {
      const quoted = next === '"' ? input.indexOf('"', i + 2) : -1;
      let end: number;
      let name: string;
      if (quoted > i + 2) {
        end = quoted + 1;
        name = input.slice(i + 2, quoted);
      } else {
        end = wordEnd(input, i);
        name = input.slice(i + 1, end).replace(TRAILING_PUNCTUATION, "");
        end = i + 1 + name.length;
      }
      if (char === "#") {
        const list =
          quoted > i + 2
            ? lists.find((candidate) => candidate.key === nameKey(name))
            : lists.find((candidate) => {
                const after = i + 1 + candidate.name.length;
                return (
                  nameKey(input.slice(i + 1, after)) === candidate.key && AFTER_NAME.test(input.slice(after, after + 1))
                );
              });
        if (list && quoted <= i + 2) end = i + 1 + list.name.length;
        if (list && listId === null) {
          listId = list.id;
          token("list", i, end, `#${list.name}`);
        } else if (name.length > 0) {
          claims.push({ start: i, end });
        }
      } else if (name.trim().length > 0) {
        const key = nameKey(name.trim());
        if (charCount(name.trim()) <= TAG_MAX_CHARS && (tagKeys.has(key) || tagKeys.size < TAGS_MAX)) {
          if (!tagKeys.has(key)) tags.push(name.trim());
          tagKeys.add(key);
          token("tag", i, end, `@${name.trim()}`);
        } else {
          claims.push({ start: i, end });
        }
      }
      i = Math.max(end, i + 1);
      continue;
    }
    const marker = PRIORITY_MARKER.exec(input.slice(i, i + 8));
    if (marker) {
      const end = i + marker[0].length;
      const value = PRIORITIES[(marker[1] ?? marker[2] ?? "").toLowerCase()] ?? "none";
      if (priority === null) {
        priority = value;
        token("priority", i, end, PRIORITY_LABELS[value]);
      } else {
        claims.push({ start: i, end });
      }
      i = end;
      continue;
    }
    i += 1;
  }

  // chrono reads the text with every claimed part masked: same offsets, and nothing in a claim is a date.
  let masked = input;
  for (const claim of claims) {
    masked = masked.slice(0, claim.start) + "§".repeat(claim.end - claim.start) + masked.slice(claim.end);
  }
  const due = findDue(masked, context.now, context.timeZone, context.locale);
  if (due) {
    claims.push({
      start: due.start,
      end: due.end,
      token: {
        kind: "due",
        text: input.slice(due.start, due.end),
        start: due.start,
        end: due.end,
        label: dueLabel(due.date, due.time, context),
      },
    });
  }
  claims.sort((a, b) => a.start - b.start);

  return {
    title: titleOf(input, claims),
    due_date: due?.date ?? null,
    due_time: due?.time ?? null,
    list_id: listId,
    priority: priority ?? "none",
    tags,
    tokens: claims.flatMap((claim) => (claim.token ? [claim.token] : [])),
  };
}

/** The text left once the tokens are out, with the escapes' backslashes dropped. */
function titleOf(input: string, claims: Claim[]): string {
  let title = "";
  let from = 0;
  for (const claim of claims) {
    if (claim.token) {
      title += input.slice(from, claim.start);
      // No space before the punctuation that followed the token ("@shop, then").
      if (/^[,.;:!?)]/.test(input.slice(claim.end))) title = title.trimEnd();
      else title += " ";
      from = claim.end;
    } else if (claim.dropBackslash) {
      title += input.slice(from, claim.start);
      from = claim.start + 1;
    }
  }
  title += input.slice(from);
  return title
    .replace(/\s+/g, " ")
    .replace(/^[\s,;:]+|[\s,;:]+$/g, "")
    .trim();
}

/**
 * The input with that token's text kept literally, so that parsing it again leaves the text in the title (a chip's ✕).
 * A token that no longer matches the input (stale offsets) leaves the input as it is.
 */
export function withoutToken(input: string, token: QuickAddToken): string {
  if (input.slice(token.start, token.end) !== token.text) return input;
  const literal = token.kind === "due" ? token.text.replace(/(^|\s)(?=\S)/g, "$1\\") : `\\${token.text}`;
  return input.slice(0, token.start) + literal + input.slice(token.end);
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Today", "Tomorrow 09:00", "Friday", "Dec 5", "Feb 3, 2027 18:30": plain English, the UI may format its own. */
function dueLabel(date: string, time: string | null, context: QuickAddContext): string {
  const today = wallClock(context.timeZone, context.now).date;
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  let label: string;
  if (days === 0) label = "Today";
  else if (days === 1) label = "Tomorrow";
  else if (days === -1) label = "Yesterday";
  else if (days > 1 && days < 7) label = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? date;
  else label = `${MONTHS[month - 1]} ${day}${date.slice(0, 4) === today.slice(0, 4) ? "" : `, ${year}`}`;
  return time ? `${label} ${time}` : label;
}
