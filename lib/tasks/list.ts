import "server-only";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { invalidCursor } from "../http/errors";
import { validate } from "../http/validate";
import { userTimeZone } from "../settings/repository";
import { nameKey } from "../text";
import { addDays, wallClock } from "../time-zone";
import { type CursorPosition, decodeCursor, encodeCursor } from "./cursor";
import { dateColumn, priorityColumn, timeColumn } from "./repository";
import type { StoredTask } from "./rows";
import { effectiveSort, TaskListQuery, type TaskListSort, type TaskView, UPCOMING_DAYS } from "./schema";

/** Parses the list's query string; a bad value is a 422 naming the parameter and its allowed values. */
export function parseTaskListQuery(url: string): TaskListQuery {
  const params = new URL(url).searchParams;
  const raw: Record<string, unknown> = Object.fromEntries(params);
  // `tag` is the one repeatable parameter (tasks with all of them); the others count once, their last value.
  if (params.has("tag")) raw.tag = params.getAll("tag");
  return validate(TaskListQuery, raw, "query string");
}

type ColumnField = "createdAt" | "updatedAt" | "title" | "priority" | "position";
type SortSpec = { field: ColumnField | "due"; descending: boolean };

const SORT_FIELDS: Record<string, SortSpec["field"]> = {
  created_at: "createdAt",
  updated_at: "updatedAt",
  title: "title",
  priority: "priority",
  position: "position",
  due_date: "due",
};

function sortSpec(sort: TaskListSort): SortSpec {
  return { field: SORT_FIELDS[sort.replace(/^-/, "")] ?? "createdAt", descending: sort.startsWith("-") };
}

/** The sort value a cursor carries: text for every column; for due dates `YYYY-MM-DD[THH:MM]`, `""` for none. */
function sortValue(task: StoredTask, { field }: SortSpec): string {
  switch (field) {
    case "due":
      if (!task.dueDate) return "";
      return task.dueDate.toISOString().slice(0, 10) + (task.dueTime ? task.dueTime.toISOString().slice(10, 16) : "");
    case "priority":
      return String(task.priority);
    case "title":
    case "position":
      return task[field];
    default:
      return task[field].toISOString();
  }
}

/** The cursor's sort value as the column's type; a signed cursor always holds one, so anything else is foreign. */
function cursorValue(position: CursorPosition, field: ColumnField): string | Date | number {
  if (field === "title" || field === "position") return position.after;
  if (field === "priority") {
    if (!/^[0-3]$/.test(position.after)) throw invalidCursor();
    return Number(position.after);
  }
  const instant = new Date(position.after);
  if (Number.isNaN(instant.getTime())) throw invalidCursor();
  return instant;
}

/**
 * The tasks after the cursor, `(key, id) < (value, id)` for a descending order. The redundant `key <= value`
 * gives PostgreSQL the start of the range on the (user_id, key, id) index, so a deep page costs what the first
 * does (keyset, never OFFSET); the OR only steps over the ties.
 */
function afterColumn(position: CursorPosition, field: ColumnField, descending: boolean): Prisma.TaskWhereInput {
  const value = cursorValue(position, field);
  const [inclusive, strict] = descending ? (["lte", "lt"] as const) : (["gte", "gt"] as const);
  return {
    [field]: { [inclusive]: value },
    OR: [{ [field]: { [strict]: value } }, { [field]: value, id: { [strict]: position.id } }],
  };
}

const DUE_VALUE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?$/;

/**
 * Due-date order: dated tasks by (date, time, id), an all-day task after the timed ones of its day (NULLS LAST, the
 * index's own order, so both directions walk it), then the undated tasks by id, last in both directions.
 */
function afterDue(position: CursorPosition, descending: boolean): Prisma.TaskWhereInput {
  const strict = descending ? "lt" : "gt";
  if (position.after === "") return { dueDate: null, id: { [strict]: position.id } };
  const match = DUE_VALUE.exec(position.after);
  if (!match?.[1]) throw invalidCursor();
  const date = dateColumn(match[1]);
  const time = match[2] === undefined ? null : timeColumn(match[2]);
  const sameDayAfter: Prisma.TaskWhereInput[] = descending
    ? time === null
      ? [{ dueTime: { not: null } }, { dueTime: null, id: { lt: position.id } }]
      : [{ dueTime: { lt: time } }, { dueTime: time, id: { lt: position.id } }]
    : time === null
      ? [{ dueTime: null, id: { gt: position.id } }]
      : [{ dueTime: { gt: time } }, { dueTime: null }, { dueTime: time, id: { gt: position.id } }];
  return {
    OR: [
      { dueDate: { [strict]: date } },
      { dueDate: date, OR: sameDayAfter },
      // Undated tasks follow every dated one.
      { dueDate: null },
    ],
  };
}

function afterCursor(position: CursorPosition, { field, descending }: SortSpec): Prisma.TaskWhereInput {
  return field === "due" ? afterDue(position, descending) : afterColumn(position, field, descending);
}

function orderBy({ field, descending }: SortSpec): Prisma.TaskOrderByWithRelationInput[] {
  const direction = descending ? "desc" : "asc";
  if (field !== "due") return [{ [field]: direction }, { id: direction }];
  return [
    { dueDate: { sort: direction, nulls: "last" } },
    { dueTime: { sort: direction, nulls: descending ? "first" : "last" } },
    { id: direction },
  ];
}

/** The first instant at or after an ISO timestamp, at the column's millisecond precision. */
function notBefore(iso: string): Date {
  const instant = new Date(iso);
  const subMillisecond = /\.\d{3}(\d*[1-9])/.test(iso);
  return subMillisecond ? new Date(instant.getTime() + 1) : instant;
}

/** The view's rule on the user's wall clock: today (or earlier), the next days, or past due. */
export function viewFilter(view: TaskView, timeZone: string): Prisma.TaskWhereInput {
  const now = wallClock(timeZone);
  const today = dateColumn(now.date);
  switch (view) {
    case "today":
      return { completed: false, dueDate: { lte: today } };
    case "upcoming":
      return { completed: false, dueDate: { gte: today, lte: dateColumn(addDays(now.date, UPCOMING_DAYS - 1)) } };
    case "overdue":
      return {
        completed: false,
        OR: [{ dueDate: { lt: today } }, { dueDate: today, dueTime: { lt: timeColumn(now.time) } }],
      };
  }
}

function dueRange(query: TaskListQuery): Prisma.TaskWhereInput | undefined {
  if (query.due_after === undefined && query.due_before === undefined) return undefined;
  return {
    dueDate: {
      ...(query.due_after === undefined ? {} : { gte: dateColumn(query.due_after) }),
      ...(query.due_before === undefined ? {} : { lte: dateColumn(query.due_before) }),
    },
  };
}

/** Every filter of the query as one WHERE; a list or tag of another user is just one this user has none of. */
async function filters(userId: string, query: TaskListQuery): Promise<Prisma.TaskWhereInput> {
  const where: Prisma.TaskWhereInput = { userId };
  const and: Prisma.TaskWhereInput[] = [];
  if (query.completed !== undefined) where.completed = query.completed;
  if (query.q !== undefined) {
    // Prisma's `contains` becomes ILIKE '%…%' as given, so `%`, `_` and `\` are escaped with LIKE's default `\`.
    const contains = { contains: query.q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" } as const;
    and.push({ OR: [{ title: contains }, { description: contains }] });
  }
  if (query.updated_since !== undefined) where.updatedAt = { gte: notBefore(query.updated_since) };
  if (query.list_id !== undefined) where.listId = query.list_id === "inbox" ? null : query.list_id;
  if (query.priority !== undefined) where.priority = priorityColumn(query.priority);
  for (const tag of new Set(query.tag?.map(nameKey))) and.push({ tags: { some: { tag: { userId, nameKey: tag } } } });
  const range = dueRange(query);
  if (range) and.push(range);
  if (query.view) and.push(viewFilter(query.view, query.tz ?? (await userTimeZone(userId))));
  if (and.length > 0) where.AND = and;
  return where;
}

export type TaskPage = { tasks: StoredTask[]; nextCursor: string | undefined };

/** One page of a user's tasks in the query's order (ties broken by id), and the cursor of the next page if any. */
export async function listTaskPage(userId: string, query: TaskListQuery): Promise<TaskPage> {
  const spec = sortSpec(effectiveSort(query));
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, userId, query);
  const where = await filters(userId, query);
  const rows = await db().task.findMany({
    where: after ? { AND: [where, afterCursor(after, spec)] } : where,
    orderBy: orderBy(spec),
    take: query.limit + 1,
    include: { tags: { select: { tag: { select: { name: true } } } } },
    relationLoadStrategy: "join",
  });
  const tasks = rows
    .slice(0, query.limit)
    .map(({ tags, ...task }) => ({ ...task, tags: tags.map(({ tag }) => tag.name) }));
  const last = tasks.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ after: sortValue(last, spec), id: last.id }, userId, query)
      : undefined;
  return { tasks, nextCursor };
}

/** The `Link` header announcing the next page (RFC 8288): this request's URL with the new cursor. */
export function nextPageLink(requestUrl: string, cursor: string): string {
  const url = new URL(requestUrl);
  url.searchParams.set("cursor", cursor);
  return `<${url.href}>; rel="next"`;
}
