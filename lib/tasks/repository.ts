import "server-only";
import { userGone } from "../auth/bearer";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { isRecordNotFound, violatesConstraint, violatesForeignKey } from "../http/database-errors";
import { ApiError } from "../http/errors";
import type { VersionPrecondition } from "../http/etag";
import { matchingVersion, nextVersion } from "../http/versions";
import { positionBetween } from "../position";
import { tagIdsFor } from "../tags/names";
import {
  TASK_PRIORITIES,
  type TaskCreate,
  TaskId,
  type TaskJson,
  type TaskPatch,
  type TaskPriority,
  type TaskReplace,
} from "./schema";

/** What every task read loads: the row and its tag names (one more indexed query). */
export const TASK_INCLUDE = {
  tags: { select: { tag: { select: { name: true } } } },
} as const satisfies Prisma.TaskInclude;

export type StoredTask = Prisma.TaskGetPayload<{ include: typeof TASK_INCLUDE }>;

type Client = Prisma.TransactionClient;

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
    tags: task.tags.map(({ tag }) => tag.name).sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })),
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
function columns(fields: TaskFields): Prisma.TaskUncheckedUpdateInput {
  const data: Prisma.TaskUncheckedUpdateInput = {};
  if (fields.title !== undefined) data.title = fields.title;
  if (fields.description !== undefined) data.description = fields.description;
  if (fields.completed !== undefined) data.completed = fields.completed;
  if (fields.list_id !== undefined) data.listId = fields.list_id;
  if (fields.due_date !== undefined) data.dueDate = fields.due_date === null ? null : dateColumn(fields.due_date);
  if (fields.due_date === null) data.dueTime = null;
  if (fields.due_time !== undefined) data.dueTime = fields.due_time === null ? null : timeColumn(fields.due_time);
  if (fields.priority !== undefined) data.priority = priorityColumn(fields.priority);
  return data;
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
  return tags === undefined || tags.length === 0 ? work(db()) : db().$transaction(work);
}

/** The key that puts a task at the top of its list (new tasks come first, as in newest-first order). */
async function topOfList(client: Client, userId: string, listId: string | null): Promise<string> {
  const first = await client.task.findFirst({
    where: { userId, listId },
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: { position: true },
  });
  return positionBetween(null, first?.position ?? null);
}

async function replaceTags(client: Client, userId: string, taskId: string, names: string[]): Promise<void> {
  const tagIds = await tagIdsFor(client, userId, names);
  await client.taskTag.deleteMany({ where: { taskId, tagId: { notIn: tagIds } } });
  await client.taskTag.createMany({ data: tagIds.map((tagId) => ({ taskId, tagId })), skipDuplicates: true });
}

export async function createTask(userId: string, input: TaskCreate): Promise<StoredTask> {
  try {
    return await withTags(input.tags, async (client) => {
      const position = await topOfList(client, userId, input.list_id ?? null);
      const tagIds = input.tags?.length ? await tagIdsFor(client, userId, input.tags) : [];
      return client.task.create({
        data: {
          ...(columns(input) as Prisma.TaskUncheckedCreateInput),
          title: input.title,
          userId,
          position,
          ...(tagIds.length > 0 ? { tags: { createMany: { data: tagIds.map((tagId) => ({ tagId })) } } } : {}),
        },
        include: TASK_INCLUDE,
      });
    });
  } catch (error) {
    throw refusal(error);
  }
}

export async function getTask(userId: string, taskId: string): Promise<StoredTask> {
  const task = await db().task.findFirst({ where: ownedTask(userId, taskId), include: TASK_INCLUDE });
  if (!task) throw taskNotFound();
  return task;
}

/**
 * A task put in another list goes to the top of that list, as a new one would (its old key means nothing there and
 * could tie with another's). Nothing changes when the list is the same, or not named.
 */
async function relisted(userId: string, taskId: string, listId: string | null | undefined) {
  if (listId === undefined) return {};
  const current = await db().task.findFirst({ where: ownedTask(userId, taskId), select: { listId: true } });
  if (!current || current.listId === listId) return {};
  return { position: await topOfList(db(), userId, listId) };
}

/** UPDATE … WHERE id, user_id [, version] … RETURNING, which also increments `version` (the ETag). */
async function writeTask(
  userId: string,
  taskId: string,
  fields: TaskFields,
  expected: VersionPrecondition | undefined,
): Promise<StoredTask> {
  const where = { ...ownedTask(userId, taskId), ...matchingVersion(expected) };
  const data = { ...columns(fields), ...(await relisted(userId, taskId, fields.list_id)), ...nextVersion() };
  const { tags } = fields;
  try {
    return await withTags(tags, async (client) => {
      if (tags === undefined) return client.task.update({ where, data, include: TASK_INCLUDE });
      if (tags.length === 0) {
        return client.task.update({ where, data: { ...data, tags: { deleteMany: {} } }, include: TASK_INCLUDE });
      }
      await client.task.update({ where, data, select: { id: true } });
      await replaceTags(client, userId, taskId, tags);
      return client.task.findUniqueOrThrow({ where: { id: taskId }, include: TASK_INCLUDE });
    });
  } catch (error) {
    if (isRecordNotFound(error)) throw await missingOrStale(userId, taskId, expected);
    throw refusal(error);
  }
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
