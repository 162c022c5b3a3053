import "server-only";
import { userGone } from "../auth/bearer";
import { type DbClient, db, transaction } from "../db";
import { Prisma } from "../generated/prisma/client";
import { violatesConstraint, violatesForeignKey } from "../http/database-errors";
import { ApiError } from "../http/errors";
import type { VersionPrecondition } from "../http/etag";
import { matchingVersion, versionsMatching } from "../http/versions";
import { positionBetween } from "../position";
import { tagIdsFor } from "../tags/names";
import { type Assignment, insertTask, readTask, type StoredTask, topPosition, updateTask } from "./rows";
import {
  TASK_PRIORITIES,
  type TaskCreate,
  TaskId,
  type TaskJson,
  type TaskPatch,
  type TaskPriority,
  type TaskReplace,
} from "./schema";

export type { StoredTask } from "./rows";

type Client = DbClient;

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const isoTime = (time: Date) => time.toISOString().slice(11, 16);
export const dateColumn = (date: string) => new Date(`${date}T00:00:00Z`);
export const timeColumn = (time: string) => new Date(`1970-01-01T${time}:00Z`);
export const priorityColumn = (priority: TaskPriority) => TASK_PRIORITIES.indexOf(priority);

export function toTaskJson(task: StoredTask): TaskJson {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    completed: task.completed,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    user_id: task.userId,
    version: task.version,
    list_id: task.listId,
    due_date: task.dueDate ? isoDate(task.dueDate) : null,
    due_time: task.dueTime ? isoTime(task.dueTime) : null,
    priority: TASK_PRIORITIES[task.priority] ?? "none",
    position: task.position,
    tags: task.tags.toSorted((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })),
  };
}

export const taskNotFound = () => new ApiError("not_found", "No task with this id exists for this user.");

const taskChanged = () =>
  new ApiError("precondition_failed", "The task has changed since the ETag you sent in If-Match; fetch it again.");

/** Ownership lives in each WHERE clause, so another user's task and a missing one look the same: 404. */
export function ownedTask(userId: string, taskId: string) {
  if (!TaskId.safeParse(taskId).success) throw taskNotFound();
  return { id: taskId, userId };
}

/** After a conditional write matched nothing: 412 if the task exists (its version moved on), else 404. */
export async function missingOrStale(userId: string, taskId: string, expected: VersionPrecondition | undefined) {
  if (expected === undefined || expected === "*") return taskNotFound();
  const exists = (await db().task.count({ where: ownedTask(userId, taskId) })) > 0;
  return exists ? taskChanged() : taskNotFound();
}

type TaskFields = Partial<TaskReplace>;

/** The columns a create or an update writes; `due_date: null` clears the time with the date. */
function assignments(fields: TaskFields): Assignment[] {
  const set: Assignment[] = [];
  if (fields.title !== undefined) set.push(["title", Prisma.sql`${fields.title}`]);
  if (fields.description !== undefined) set.push(["description", Prisma.sql`${fields.description}`]);
  if (fields.completed !== undefined) set.push(["completed", Prisma.sql`${fields.completed}`]);
  if (fields.list_id !== undefined) set.push(["list_id", Prisma.sql`${fields.list_id}::uuid`]);
  if (fields.due_date !== undefined) set.push(["due_date", Prisma.sql`${fields.due_date}::date`]);
  const dueTime = fields.due_time !== undefined ? fields.due_time : fields.due_date === null ? null : undefined;
  if (dueTime !== undefined) set.push(["due_time", Prisma.sql`${dueTime}::time`]);
  if (fields.priority !== undefined) set.push(["priority", Prisma.sql`${priorityColumn(fields.priority)}::smallint`]);
  return set;
}

/** A PUT replaces the whole task: the fields it leaves out take their defaults. */
function replacement(input: TaskReplace): TaskFields {
  return { list_id: null, due_date: null, due_time: null, priority: "none", tags: [], ...input };
}

const noSuchList = () =>
  new ApiError("validation_error", "The request body is invalid: list_id names no list of yours.", {
    fields: [{ field: "list_id", message: "list_id names no list of yours" }],
  });

const dueTimeWithoutDate = () =>
  new ApiError("validation_error", "The request body is invalid: due_time needs a due_date.", {
    fields: [{ field: "due_time", message: "due_time needs a due_date (the task has none)" }],
  });

/**
 * The database's own rules, as the client's mistakes: the list reference carries the task's user_id, so another
 * user's list is a missing one; a time needs a date. The user's own row gone is userGone.
 */
export function refusal(error: unknown): unknown {
  if (violatesConstraint(error, "tasks_list_id_user_id_fkey")) return noSuchList();
  if (violatesConstraint(error, "tasks_due_time_needs_date")) return dueTimeWithoutDate();
  if (violatesForeignKey(error)) return userGone();
  return error;
}

/**
 * Naming tags takes a transaction of its own (they are found or made first); without any a write is one call, with
 * no interactive BEGIN and COMMIT (a PUT's `tags: []` clears them in that call).
 */
function withTags<T>(tags: string[] | undefined, work: (client: Client) => Promise<T>): Promise<T> {
  return tags === undefined || tags.length === 0 ? work(db()) : transaction(work);
}

/** The key that puts a task at the top of its list (new tasks come first, as in newest-first order). */
async function topOfList(client: Client, userId: string, listId: string | null): Promise<string> {
  return positionBetween(null, await topPosition(client, userId, listId));
}

async function replaceTags(client: Client, userId: string, taskId: string, names: string[]): Promise<void> {
  const tagIds = await tagIdsFor(client, userId, names);
  await client.taskTag.deleteMany({ where: { taskId, tagId: { notIn: tagIds } } });
  await client.taskTag.createMany({ data: tagIds.map((tagId) => ({ taskId, tagId })), skipDuplicates: true });
}

export async function createTask(userId: string, input: TaskCreate): Promise<StoredTask> {
  const now = Prisma.sql`${new Date()}`;
  try {
    return await withTags(input.tags, async (client) => {
      const position = await topOfList(client, userId, input.list_id ?? null);
      const task = await insertTask(client, [
        ...assignments(input),
        ["user_id", Prisma.sql`${userId}`],
        ["position", Prisma.sql`${position}`],
        ["created_at", now],
        ["updated_at", now],
      ]);
      if (!input.tags?.length) return task;
      const tagIds = await tagIdsFor(client, userId, input.tags);
      await client.taskTag.createMany({ data: tagIds.map((tagId) => ({ taskId: task.id, tagId })) });
      return (await readTask(client, userId, task.id)) as StoredTask;
    });
  } catch (error) {
    throw refusal(error);
  }
}

export async function getTask(userId: string, taskId: string): Promise<StoredTask> {
  const { id } = ownedTask(userId, taskId);
  const task = await readTask(db(), userId, id);
  if (!task) throw taskNotFound();
  return task;
}

/**
 * A task put in another list goes to the top of that list, as a new one would (its old key means nothing there and
 * could tie with another's). Nothing changes when the list is the same, or not named.
 */
async function relisted(userId: string, taskId: string, listId: string | null | undefined): Promise<Assignment[]> {
  if (listId === undefined) return [];
  const current = await db().task.findFirst({ where: ownedTask(userId, taskId), select: { listId: true } });
  if (!current || current.listId === listId) return [];
  return [["position", Prisma.sql`${await topOfList(db(), userId, listId)}`]];
}

/** One UPDATE of the row (with its tags' names back), or, when the write names tags, a transaction around it. */
async function writeTask(
  userId: string,
  taskId: string,
  fields: TaskFields,
  expected: VersionPrecondition | undefined,
): Promise<StoredTask> {
  const { id } = ownedTask(userId, taskId);
  const set = [...assignments(fields), ...(await relisted(userId, id, fields.list_id))];
  const { tags } = fields;
  let task: StoredTask | undefined;
  try {
    task = await withTags(tags, async (client) => {
      const update = { userId, taskId: id, assignments: set, versions: versionsMatching(expected) };
      const updated = await updateTask(client, { ...update, clearTags: tags?.length === 0 });
      if (!updated || !tags?.length) return updated;
      await replaceTags(client, userId, id, tags);
      return readTask(client, userId, id);
    });
  } catch (error) {
    throw refusal(error);
  }
  if (!task) throw await missingOrStale(userId, id, expected);
  return task;
}

export function replaceTask(userId: string, taskId: string, input: TaskReplace, expected?: VersionPrecondition) {
  return writeTask(userId, taskId, replacement(input), expected);
}

export function patchTask(userId: string, taskId: string, patch: TaskPatch, expected?: VersionPrecondition) {
  return writeTask(userId, taskId, patch, expected);
}

export async function deleteTask(userId: string, taskId: string, expected?: VersionPrecondition): Promise<void> {
  const { count } = await db().task.deleteMany({
    where: { ...ownedTask(userId, taskId), ...matchingVersion(expected) },
  });
  if (count === 0) throw await missingOrStale(userId, taskId, expected);
}
