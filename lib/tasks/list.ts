import "server-only";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { invalidCursor } from "../http/errors";
import { validate } from "../http/validate";
import { type CursorPosition, decodeCursor, encodeCursor } from "./cursor";
import { type StoredTask, TASK_INCLUDE } from "./repository";
import { TaskListQuery, type TaskListSort } from "./schema";

/** Parses the list's query string; a bad value is a 422 naming the parameter and its allowed values. */
export function parseTaskListQuery(url: string): TaskListQuery {
  return validate(TaskListQuery, Object.fromEntries(new URL(url).searchParams), "query string");
}

type SortField = "createdAt" | "updatedAt" | "title";
type SortSpec = { field: SortField; descending: boolean };

const SORT_FIELDS: Record<string, SortField> = { created_at: "createdAt", updated_at: "updatedAt", title: "title" };

function sortSpec(sort: TaskListSort): SortSpec {
  return { field: SORT_FIELDS[sort.replace(/^-/, "")] ?? "createdAt", descending: sort.startsWith("-") };
}

function sortValue(task: StoredTask, { field }: SortSpec): string {
  return field === "title" ? task.title : task[field].toISOString();
}

/** The cursor's sort value as the column's type; a signed cursor always holds one, so anything else is foreign. */
function cursorValue(position: CursorPosition, { field }: SortSpec): string | Date {
  if (field === "title") return position.after;
  const instant = new Date(position.after);
  if (Number.isNaN(instant.getTime())) throw invalidCursor();
  return instant;
}

/**
 * The tasks after the cursor, `(key, id) < (value, id)` for a descending order. The redundant `key <= value`
 * gives PostgreSQL the start of the range on the (user_id, key, id) index, so a deep page costs what the first
 * does (keyset, never OFFSET); the OR only steps over the ties.
 */
function afterCursor(position: CursorPosition, spec: SortSpec): Prisma.TaskWhereInput {
  const value = cursorValue(position, spec);
  const [inclusive, strict] = spec.descending ? (["lte", "lt"] as const) : (["gte", "gt"] as const);
  return {
    [spec.field]: { [inclusive]: value },
    OR: [{ [spec.field]: { [strict]: value } }, { [spec.field]: value, id: { [strict]: position.id } }],
  };
}

/** The first instant at or after an ISO timestamp, at the column's millisecond precision. */
function notBefore(iso: string): Date {
  const instant = new Date(iso);
  const subMillisecond = /\.\d{3}(\d*[1-9])/.test(iso);
  return subMillisecond ? new Date(instant.getTime() + 1) : instant;
}

function filters(userId: string, query: TaskListQuery): Prisma.TaskWhereInput {
  const where: Prisma.TaskWhereInput = { userId };
  if (query.completed !== undefined) where.completed = query.completed;
  if (query.q !== undefined) {
    // Prisma's `contains` becomes ILIKE '%…%' as given, so `%`, `_` and `\` are escaped with LIKE's default `\`.
    const contains = { contains: query.q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" } as const;
    where.AND = [{ OR: [{ title: contains }, { description: contains }] }];
  }
  if (query.updated_since !== undefined) where.updatedAt = { gte: notBefore(query.updated_since) };
  return where;
}

export type TaskPage = { tasks: StoredTask[]; nextCursor: string | undefined };

/** One page of a user's tasks in the query's order (ties broken by id), and the cursor of the next page if any. */
export async function listTaskPage(userId: string, query: TaskListQuery): Promise<TaskPage> {
  const spec = sortSpec(query.sort);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, userId, query);
  const direction = spec.descending ? "desc" : "asc";
  const where = filters(userId, query);
  const rows = await db().task.findMany({
    where: after ? { AND: [where, afterCursor(after, spec)] } : where,
    orderBy: [{ [spec.field]: direction }, { id: direction }],
    take: query.limit + 1,
    include: TASK_INCLUDE,
  });
  const tasks = rows.slice(0, query.limit);
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
