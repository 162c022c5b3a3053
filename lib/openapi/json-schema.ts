import { z } from "zod";
import {
  DESCRIPTION_MAX_CHARS,
  TASK_SEARCH_MAX_CHARS,
  TaskDescription,
  TaskListQuery,
  TaskPatchInput,
  TaskTitle,
  TITLE_MAX_CHARS,
} from "../tasks/schema";

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

/*
 * What JSON Schema cannot say by itself about the request schemas: their `refine`s (character counts, "at least
 * one field") are code, so zod leaves them out. These annotations restate them from the same constants, keyed by
 * the schemas themselves, so a renamed or removed schema stops compiling here.
 */
annotate(TaskTitle, {
  description: `Trimmed; then 1–${TITLE_MAX_CHARS} characters (code points). No NUL characters, no lone surrogates.`,
  examples: ["Buy milk"],
});
annotate(TaskDescription, {
  description: `Up to ${DESCRIPTION_MAX_CHARS} characters (code points), or null. No NUL characters, no lone surrogates.`,
  examples: ["Oat, 2 litres"],
});
annotate(TaskDescription.unwrap(), { maxLength: DESCRIPTION_MAX_CHARS });
annotate(TaskPatchInput, { minProperties: 1 });
annotate(TaskListQuery.shape.limit, { description: "Tasks per page." });
annotate(TaskListQuery.shape.cursor, {
  description:
    "Opaque: the next page, taken from the `Link` header of the previous one. Bound to the user and to `sort`, " +
    "`completed`, `q` and `updated_since`; an altered or re-purposed cursor is a 400 `invalid_cursor`.",
});
annotate(TaskListQuery.shape.sort, {
  description: "Order of the list; `-` is descending. Ties are broken by `id` in the same direction.",
});
annotate(TaskListQuery.shape.completed, { description: "Only completed (`true`) or only open (`false`) tasks." });
annotate(TaskListQuery.shape.q, {
  description:
    `Case-insensitive substring of the title or the description, up to ${TASK_SEARCH_MAX_CHARS} characters; ` +
    "`%`, `_` and `\\` are literal. Empty means no search.",
  maxLength: TASK_SEARCH_MAX_CHARS,
});
annotate(TaskListQuery.shape.updated_since, {
  description: "Only tasks with `updated_at` at or after this instant (ISO 8601 with a zone), for clients that sync.",
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

/**
 * The JSON Schema of a zod schema: `input` for what clients send (before transforms and defaults), `output` for
 * what the API answers. Anything zod cannot represent throws, so the document never silently loosens.
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return withoutDialect(
    z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "throw",
      override: io === "input" ? documentQueryNumbers : undefined,
    }),
  );
}
