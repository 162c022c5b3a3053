import { z } from "zod";
import { SettingsPatchInput } from "../settings/schema";
import {
  CALENDAR_DATE_PATTERN,
  DESCRIPTION_MAX_CHARS,
  DueDate,
  TAG_FILTER_MAX,
  TAG_NAME_MAX_CHARS,
  TAGS_PER_TASK_MAX,
  TASK_LIST_MAX_LIMIT,
  TASK_SEARCH_MAX_CHARS,
  TagName,
  TaskCreateInput,
  TaskDescription,
  TaskListQuery,
  TaskMoveInput,
  TaskPatchInput,
  TaskReplaceInput,
  TaskTags,
  TaskTitle,
  TITLE_MAX_CHARS,
  UPDATED_SINCE_RANGE,
} from "../tasks/schema";
import { TimeZone } from "../time-zone";

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as zod writes it. */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * Adds documentation to a schema in zod's global registry (what `.meta()` writes), keeping what is there: zod
 * merges it into the JSON Schema of that schema wherever it appears.
 */
export function annotate<Schema extends z.ZodType>(schema: Schema, meta: JsonSchema): Schema {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), ...(meta as z.GlobalMeta) });
  return schema;
}

/**
 * The characters `String.prototype.trim()` removes (ECMAScript's WhiteSpace and LineTerminator), spelled out: `\s`
 * means other things in other regex engines (Python's, for one), and a document's patterns are read by all of them.
 */
export const TRIMMED_CHARACTERS =
  "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";

/** No NUL character anywhere (PostgreSQL text cannot hold one). */
export const NO_NUL_PATTERN = "^[^\\u0000]*$";

/** No NUL character, and at least one character that trimming keeps: what a title must be before it is trimmed. */
export const TITLE_PATTERN = `^[^\\u0000]*[^\\u0000${TRIMMED_CHARACTERS}][^\\u0000]*$`;

/** What JSON Schema cannot say at all, said in every description that needs it. */
const NOT_EXPRESSIBLE = "No lone surrogates (a `\\ud800` escape without its pair is refused).";

/*
 * The request schemas' rules are `refine`s (code), which zod leaves out of JSON Schema. These annotations restate
 * each one that JSON Schema can express (`minLength`, `maxLength`, `pattern`, `minProperties`) from the same
 * constants, keyed by the schemas themselves, so a renamed or removed schema stops compiling here. What it cannot
 * express (trimming before the count, lone surrogates) is said in the description. `maxLength` counts code points in
 * JSON Schema, as the server does.
 */
annotate(TaskTitle, {
  description:
    `Trimmed (leading and trailing white space removed), then 1–${TITLE_MAX_CHARS} characters (code points). ` +
    "The server counts after trimming, so it also takes a longer title padded with white space, which `maxLength` " +
    `refuses. No NUL characters. ${NOT_EXPRESSIBLE}`,
  minLength: 1,
  maxLength: TITLE_MAX_CHARS,
  pattern: TITLE_PATTERN,
  examples: ["Buy milk"],
});
annotate(TaskDescription, {
  description:
    `Up to ${DESCRIPTION_MAX_CHARS} characters (code points), or null; kept as sent (not trimmed). No NUL ` +
    `characters. ${NOT_EXPRESSIBLE}`,
  examples: ["Oat, 2 litres"],
});
annotate(TaskDescription.unwrap(), { maxLength: DESCRIPTION_MAX_CHARS, pattern: NO_NUL_PATTERN });
annotate(TagName, {
  description:
    `A tag name: trimmed, then 1–${TAG_NAME_MAX_CHARS} characters (code points); case-insensitively one tag per ` +
    `user (the first spelling stays). No NUL characters. ${NOT_EXPRESSIBLE}`,
  minLength: 1,
  maxLength: TAG_NAME_MAX_CHARS,
  pattern: TITLE_PATTERN,
  examples: ["home"],
});
annotate(TaskTags, { maxItems: TAGS_PER_TASK_MAX });
/** JSON Schema's `if`/`then`: when the value matches `condition`, it must match `consequence`. */
function ifThen(condition: JsonSchema, consequence: JsonSchema): JsonSchema {
  // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's keyword, not a promise.
  return { if: condition, then: consequence };
}

/** A `due_time` that is a time (not null) needs a `due_date` that is a date (not null, and present). */
const TIMED: JsonSchema = { required: ["due_time"], properties: { due_time: { type: "string" } } };
const DATED: JsonSchema = { required: ["due_date"], properties: { due_date: { type: "string" } } };
const DUE_TIME_RULE = "`due_time` needs a `due_date` (422 otherwise).";
annotate(TaskCreateInput, { description: DUE_TIME_RULE, ...ifThen(TIMED, DATED) });
annotate(TaskReplaceInput, { description: DUE_TIME_RULE, ...ifThen(TIMED, DATED) });
// A patch may leave the date out (the stored one counts, which JSON Schema cannot see: the request body's
// description says so), but not clear it while it sets a time.
annotate(TaskPatchInput, {
  minProperties: 1,
  ...ifThen(TIMED, { properties: { due_date: { type: "string" } } }),
});
annotate(TaskMoveInput, {
  description: "Send `before` or `after`, not both (422).",
  not: { required: ["before", "after"] },
});
annotate(SettingsPatchInput, { minProperties: 1 });
annotate(DueDate.unwrap(), { format: "date", pattern: CALENDAR_DATE_PATTERN });
annotate(TimeZone, {
  description:
    "An IANA time zone, e.g. `Europe/Paris`. The server's list is given; aliases it also knows (`US/Pacific`) are " +
    "taken too.",
  // The zones this runtime lists; others it knows (aliases such as `US/Pacific`) are accepted as well.
  enum: ["UTC", ...Intl.supportedValuesOf("timeZone")],
});
annotate(TaskListQuery.shape.list_id, {
  description: "Only the tasks of this list (its id), or of the Inbox (`inbox`).",
});
annotate(TaskListQuery.shape.tag, {
  description: `Only tasks that carry every one of these tags (repeat the parameter, at most ${TAG_FILTER_MAX}; names, case-insensitive).`,
  maxItems: TAG_FILTER_MAX,
});
annotate(TaskListQuery.shape.priority, { description: "Only tasks of this priority." });
annotate(TaskListQuery.shape.due_after, {
  description: "Only tasks due on or after this date (`YYYY-MM-DD`).",
  format: "date",
  pattern: CALENDAR_DATE_PATTERN,
});
annotate(TaskListQuery.shape.due_before, {
  description: "Only tasks due on or before this date (`YYYY-MM-DD`).",
  format: "date",
  pattern: CALENDAR_DATE_PATTERN,
});
annotate(TaskListQuery.shape.view, {
  description:
    "Open tasks by due date on the user's calendar: `today` (due today or earlier), `upcoming` (due today or in the " +
    "next 6 days), `overdue` (due before today, or earlier today at a time that has passed). Without `sort`, a view " +
    "is in `due_date` order.",
});
annotate(TaskListQuery.shape.tz, {
  description: "The time zone `view` is computed in; default: the user's (`/settings`), else UTC.",
});
annotate(TaskListQuery.shape.limit, { description: `Tasks per page, 1–${TASK_LIST_MAX_LIMIT} (decimal digits).` });
annotate(TaskListQuery.shape.cursor, {
  description:
    "Opaque: the next page, taken from the `Link` header of the previous one. Bound to the user and to every other " +
    "parameter but `limit`; an altered or re-purposed cursor is a 400 `invalid_cursor`.",
});
annotate(TaskListQuery.shape.sort, {
  description:
    "Order of the list; `-` is descending; default `-created_at` (newest first), or `due_date` with `view`. Ties are " +
    "broken by `id` in the same direction. `due_date` orders by date, then time (an all-day task after the timed " +
    "ones of its day), and puts tasks without a due date last in both directions. `priority` goes none < low < " +
    "medium < high. `position` is the user's manual order (see the move route).",
});
annotate(TaskListQuery.shape.completed, { description: "Only completed (`true`) or only open (`false`) tasks." });
annotate(TaskListQuery.shape.q, {
  description:
    `Case-insensitive substring of the title or the description, up to ${TASK_SEARCH_MAX_CHARS} characters ` +
    "(code points); `%`, `_` and `\\` are literal. Empty means no search. No NUL characters.",
  maxLength: TASK_SEARCH_MAX_CHARS,
  pattern: NO_NUL_PATTERN,
});
annotate(TaskListQuery.shape.updated_since, {
  description:
    "Only tasks with `updated_at` at or after this instant (RFC 3339 with `Z` or an offset such as `+02:00`, " +
    `upper-case \`T\` and \`Z\`), for clients that sync. The instant, once its offset is applied, must fall in the ` +
    `years 0001–9999 (${UPDATED_SINCE_RANGE.from} to ${UPDATED_SINCE_RANGE.to}); JSON Schema cannot say that, the server refuses others (422).`,
  examples: ["2026-01-07T10:00:00Z"],
});

function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/**
 * A query-string value parsed into a number (`z.string().regex(…).transform(Number).pipe(z.number()…)`) is a
 * string on the wire, but it is documented as the number it must be; a default applies when it is left out.
 */
function documentQueryNumbers({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodTypes; jsonSchema: JsonSchema }) {
  const def = zodSchema._zod.def;
  if (def.type === "pipe" && def.out._zod.def.type === "number") {
    for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
    Object.assign(jsonSchema, withoutDialect(z.toJSONSchema(def.out, { target: "draft-2020-12" })));
  }
  if (def.type === "default" && jsonSchema.default === undefined) jsonSchema.default = def.defaultValue;
}

/** Where a schema inside another is written as a `$ref` to a component instead of inline, by identity. */
export type ComponentRefs = Map<z.ZodType, string>;

function referComponents(refs: ComponentRefs) {
  return ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodTypes; jsonSchema: JsonSchema }) => {
    const name = refs.get(zodSchema as unknown as z.ZodType);
    if (name === undefined) return;
    for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
    jsonSchema.$ref = `#/components/schemas/${name}`;
  };
}

/**
 * The JSON Schema of a zod schema: `input` for what clients send (before transforms and defaults), `output` for
 * what the API answers. Anything zod cannot represent throws, so the document never silently loosens. `refs` names
 * the components that schemas nested in this one are (an event's `data` is a `Task`).
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output", refs?: ComponentRefs): JsonSchema {
  return withoutDialect(
    z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "throw",
      override: refs ? referComponents(refs) : io === "input" ? documentQueryNumbers : undefined,
    }),
  );
}
