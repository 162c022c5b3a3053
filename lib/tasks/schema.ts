import { z } from "zod";
import { text, trimmedText } from "../text-schema";
import { TimeZone } from "../time-zone";

export const TITLE_MAX_CHARS = 500;
export const DESCRIPTION_MAX_CHARS = 5000;

export const TaskTitle = trimmedText("title", TITLE_MAX_CHARS);

export const TaskDescription = text("description", DESCRIPTION_MAX_CHARS).nullable();

const TaskCompleted = z.boolean({ error: "completed must be true or false" });

export const TASK_PRIORITIES = ["none", "low", "medium", "high"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
const TaskPriority = z
  .enum(TASK_PRIORITIES, { error: `priority must be one of ${TASK_PRIORITIES.join(", ")}` })
  .meta({ description: "Ordered none < low < medium < high, so `sort=-priority` puts `high` first." });

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** What the document says of a date on top of `format: date`: years 0001–9999 (PostgreSQL has no year 0). */
export const CALENDAR_DATE_PATTERN = "^(?!0000)\\d{4}-\\d{2}-\\d{2}$";

/** A real calendar date (no 2026-02-30), years 0001–9999, as PostgreSQL's `date` holds it. */
function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const CalendarDate = (label: string) =>
  z
    .string({ error: `${label} must be a date such as 2026-12-05` })
    .refine(isCalendarDate, `${label} must be a calendar date such as 2026-12-05`);

export const DueDate = CalendarDate("due_date")
  .nullable()
  .meta({ description: "A calendar date in the user's time zone, `YYYY-MM-DD`; null for none." });

const DueTime = z
  .string({ error: "due_time must be a time such as 09:30" })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "due_time must be a 24-hour time such as 09:30")
  .nullable()
  .meta({ description: "`HH:MM` on `due_date`, in the user's time zone; null for an all-day task." });

export const ListId = z.uuid({ error: "list_id must be a list's id (a UUID) or null for the Inbox" });

export const TAG_NAME_MAX_CHARS = 50;
export const TAGS_PER_TASK_MAX = 20;

export const TagName = trimmedText("tag", TAG_NAME_MAX_CHARS);

export const TaskTags = z
  .array(TagName, { error: "tags must be an array of tag names" })
  .max(TAGS_PER_TASK_MAX, `a task has at most ${TAGS_PER_TASK_MAX} tags`)
  .meta({ description: "Tag names; a name differing only in case from one of the user's tags is that tag." });

/** What every writable field may be; POST and PATCH make them optional, PUT requires the seed's three. */
const organiseFields = {
  list_id: ListId.nullable().optional(),
  due_date: DueDate.optional(),
  due_time: DueTime.optional(),
  priority: TaskPriority.optional(),
  tags: TaskTags.optional(),
};

const dueTimeNeedsDate = (task: { due_date?: string | null; due_time?: string | null }) =>
  !(task.due_time != null && task.due_date == null);
const DUE_TIME_RULE = { message: "due_time needs a due_date", path: ["due_time"] };

export const TaskCreateInput = z
  .strictObject({
    title: TaskTitle,
    description: TaskDescription.optional(),
    completed: TaskCompleted.optional(),
    ...organiseFields,
  })
  .refine(dueTimeNeedsDate, DUE_TIME_RULE);

/** A full replace: the seed's three fields are required; the others take their defaults when absent. */
export const TaskReplaceInput = z
  .strictObject({
    title: TaskTitle,
    description: TaskDescription,
    completed: TaskCompleted,
    ...organiseFields,
  })
  .refine(dueTimeNeedsDate, DUE_TIME_RULE);

const PATCH_FIELDS = ["title", "description", "completed", ...Object.keys(organiseFields)];

/** `due_time` alone keeps the stored date (and is refused if there is none); `due_date: null` clears the time too. */
export const TaskPatchInput = z
  .strictObject({
    title: TaskTitle.optional(),
    description: TaskDescription.optional(),
    completed: TaskCompleted.optional(),
    ...organiseFields,
  })
  .refine((patch) => Object.keys(patch).length > 0, `send at least one of ${PATCH_FIELDS.join(", ")}`)
  .refine((patch) => !(patch.due_date === null && patch.due_time != null), DUE_TIME_RULE);

export const TaskId = z.uuid();

const Neighbour = (name: string) => z.uuid({ error: `${name} must be a task's id (a UUID)` });

/** `POST …/tasks/{taskId}/move`: where in manual order (and in which list) the task goes. */
export const TaskMoveInput = z
  .strictObject({
    list_id: ListId.nullable()
      .optional()
      .meta({ description: "The list to move the task to (null: the Inbox); absent: it stays in its list." }),
    before: Neighbour("before").optional().meta({ description: "Put the task just before this task of the list." }),
    after: Neighbour("after").optional().meta({ description: "Put the task just after this task of the list." }),
  })
  .refine((move) => move.before === undefined || move.after === undefined, {
    message: "send before or after, not both",
    path: ["after"],
  });

export type TaskMove = z.infer<typeof TaskMoveInput>;

export const TaskJson = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  user_id: z.string(),
  version: z
    .number()
    .int()
    .min(1)
    .meta({ description: 'Grows by one on every write; the `ETag` is this number in quotes (`"3"`), for `If-Match`.' }),
  list_id: z.uuid().nullable().meta({ description: "The task's list, or null for the Inbox." }),
  due_date: z.iso.date().nullable(),
  due_time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .nullable(),
  priority: z.enum(TASK_PRIORITIES),
  position: z.string().meta({
    description: "The task's place in manual order (`sort=position`): compare as bytes; set it with the move route.",
  }),
  tags: z.array(z.string()).meta({ description: "Tag names, in alphabetical order." }),
});

export type TaskCreate = z.infer<typeof TaskCreateInput>;
export type TaskReplace = z.infer<typeof TaskReplaceInput>;
export type TaskPatch = z.infer<typeof TaskPatchInput>;
export type TaskJson = z.infer<typeof TaskJson>;

export const TASK_LIST_SORTS = [
  "created_at",
  "-created_at",
  "updated_at",
  "-updated_at",
  "title",
  "-title",
  "due_date",
  "-due_date",
  "priority",
  "-priority",
  "position",
] as const;
export const TASK_VIEWS = ["today", "upcoming", "overdue"] as const;
export type TaskView = (typeof TASK_VIEWS)[number];
/** `view=upcoming`: today and the days after it, this many in all. */
export const UPCOMING_DAYS = 7;
export const TAG_FILTER_MAX = 20;
export const TASK_LIST_DEFAULT_LIMIT = 50;
export const TASK_LIST_MAX_LIMIT = 100;
export const TASK_SEARCH_MAX_CHARS = 200;

const limitMessage = `limit must be an integer from 1 to ${TASK_LIST_MAX_LIMIT}`;

/** A page's `limit` in a query string: decimal digits, 1–100, default 50 (the task list's, and the change feed's). */
export const pageLimit = () =>
  z
    .string()
    .regex(/^\d{1,3}$/, limitMessage)
    .transform(Number)
    .pipe(z.number().int().min(1, limitMessage).max(TASK_LIST_MAX_LIMIT, limitMessage))
    .default(TASK_LIST_DEFAULT_LIMIT);
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
  limit: pageLimit(),
  cursor: z.string().optional(),
  sort: z.enum(TASK_LIST_SORTS, { error: `sort must be one of ${TASK_LIST_SORTS.join(", ")}` }).optional(),
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
  list_id: z
    .union([z.literal("inbox"), z.uuid()], { error: "list_id must be a list's id (a UUID) or inbox" })
    .optional(),
  tag: z.array(TagName).max(TAG_FILTER_MAX, `tag may be given at most ${TAG_FILTER_MAX} times`).optional(),
  priority: TaskPriority.optional(),
  due_after: CalendarDate("due_after").optional(),
  due_before: CalendarDate("due_before").optional(),
  view: z.enum(TASK_VIEWS, { error: `view must be one of ${TASK_VIEWS.join(", ")}` }).optional(),
  tz: TimeZone.optional(),
});

export type TaskListQuery = z.infer<typeof TaskListQuery>;
export type TaskListSort = NonNullable<TaskListQuery["sort"]>;

/** Without `sort`, a view is in due-date order and anything else newest first. */
export const effectiveSort = (query: TaskListQuery): TaskListSort =>
  query.sort ?? (query.view ? "due_date" : "-created_at");

const Count = z.number().int().min(0);

/** `GET /api/{userId}/tasks/summary`: how many tasks the user has, in all and by state, list, view and tag. */
export const TaskSummaryJson = z.object({
  total: Count,
  active: Count,
  completed: Count,
  inbox: Count.meta({ description: "Open tasks in the Inbox (no list)." }),
  views: z
    .object(Object.fromEntries(TASK_VIEWS.map((view) => [view, Count])) as Record<TaskView, typeof Count>)
    .meta({ description: "Tasks each `view=` lists, in the time zone of `tz` (or the user's)." }),
  lists: z
    .record(z.uuid(), Count)
    .meta({ description: "Open tasks per list id; a list without open tasks is absent (0)." }),
  tags: z
    .record(z.uuid(), Count)
    .meta({ description: "Open tasks per tag id; a tag without open tasks is absent (0)." }),
});

/** The summary's query string: the zone its views are counted in. */
export const TaskSummaryQuery = z.object({ tz: TimeZone.optional() });

export type TaskSummaryJson = z.infer<typeof TaskSummaryJson>;
export type TaskSummaryQuery = z.infer<typeof TaskSummaryQuery>;
