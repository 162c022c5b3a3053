import { z } from "zod";
import { charCount } from "../text";

export const TITLE_MAX_CHARS = 500;
export const DESCRIPTION_MAX_CHARS = 5000;

function text(label: string, max: number, { trim = false } = {}) {
  const string = z.string({
    error: (issue) => (issue.input === null ? `${label} cannot be null` : `${label} must be a string`),
  });
  return (trim ? string.trim() : string)
    .refine((value) => value.isWellFormed(), `${label} must be valid Unicode (no lone surrogates)`)
    .refine((value) => !value.includes("\u0000"), `${label} must not contain NUL characters`)
    .refine((value) => charCount(value) <= max, `${label} must be at most ${max} characters`);
}

export const TaskTitle = text("title", TITLE_MAX_CHARS, { trim: true }).refine(
  (value) => value.length > 0,
  "title must not be empty",
);

export const TaskDescription = text("description", DESCRIPTION_MAX_CHARS).nullable();

const TaskCompleted = z.boolean({ error: "completed must be true or false" });

export const TaskCreateInput = z.strictObject({
  title: TaskTitle,
  description: TaskDescription.optional(),
  completed: TaskCompleted.optional(),
});

export const TaskReplaceInput = z.strictObject({
  title: TaskTitle,
  description: TaskDescription,
  completed: TaskCompleted,
});

export const TaskPatchInput = z
  .strictObject({
    title: TaskTitle.optional(),
    description: TaskDescription.optional(),
    completed: TaskCompleted.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "send at least one of title, description, completed");

export const TaskId = z.uuid();

export const TaskJson = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  user_id: z.string(),
});

export type TaskCreate = z.infer<typeof TaskCreateInput>;
export type TaskReplace = z.infer<typeof TaskReplaceInput>;
export type TaskPatch = z.infer<typeof TaskPatchInput>;
export type TaskJson = z.infer<typeof TaskJson>;

export const TASK_LIST_SORTS = ["created_at", "-created_at", "updated_at", "-updated_at", "title", "-title"] as const;
export const TASK_LIST_DEFAULT_LIMIT = 50;
export const TASK_LIST_MAX_LIMIT = 100;
export const TASK_SEARCH_MAX_CHARS = 200;

const limitMessage = `limit must be an integer from 1 to ${TASK_LIST_MAX_LIMIT}`;
const timestampMessage = "updated_since must be an ISO 8601 timestamp with a time zone, such as 2026-01-07T10:00:00Z";
/** The instants `updated_since` may name: what PostgreSQL timestamps and `Date#toISOString` both carry. */
export const UPDATED_SINCE_RANGE = { from: "0001-01-01T00:00:00Z", to: "9999-12-31T23:59:59.999Z" } as const;
const timestampRangeMessage = `updated_since must be an ISO 8601 timestamp from ${UPDATED_SINCE_RANGE.from} to ${UPDATED_SINCE_RANGE.to}`;
const inSupportedYears = (instant: Date) => instant.getUTCFullYear() >= 1 && instant.getUTCFullYear() <= 9999;

/**
 * The query string of `GET /api/{userId}/tasks`. Values arrive as strings; unknown parameters are dropped.
 * `cursor` is opaque here: lib/tasks/cursor.ts checks it against the other parameters.
 */
export const TaskListQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, limitMessage)
    .transform(Number)
    .pipe(z.number().int().min(1, limitMessage).max(TASK_LIST_MAX_LIMIT, limitMessage))
    .default(TASK_LIST_DEFAULT_LIMIT),
  cursor: z.string().optional(),
  sort: z.enum(TASK_LIST_SORTS, { error: `sort must be one of ${TASK_LIST_SORTS.join(", ")}` }).default("-created_at"),
  completed: z
    .enum(["true", "false"], { error: "completed must be one of true, false" })
    .transform((value) => value === "true")
    .optional(),
  q: text("q", TASK_SEARCH_MAX_CHARS)
    .transform((value) => (value === "" ? undefined : value))
    .optional(),
  updated_since: z.iso
    .datetime({ offset: true, error: timestampMessage })
    // The format allows instants outside years 0001–9999 once the offset is applied (0001-01-01T00:00+01:00 is in
    // year 0), which PostgreSQL and JSON timestamps cannot carry.
    .refine((value) => inSupportedYears(new Date(value)), timestampRangeMessage)
    .optional(),
});

export type TaskListQuery = z.infer<typeof TaskListQuery>;
export type TaskListSort = TaskListQuery["sort"];

/** `GET /api/{userId}/tasks/summary`: how many tasks the user has, in all and by state. */
export const TaskSummaryJson = z.object({
  total: z.number().int().min(0),
  active: z.number().int().min(0),
  completed: z.number().int().min(0),
});

export type TaskSummaryJson = z.infer<typeof TaskSummaryJson>;
