import "server-only";
import { unauthorized } from "../auth/bearer";
import { db } from "../db";
import type { Task } from "../generated/prisma/client";
import { preconditionFailed, taskNotFound } from "../http/errors";
import type { VersionPrecondition } from "./etag";
import { type TaskCreate, TaskId, type TaskJson, type TaskPatch, type TaskReplace } from "./schema";

export function toTaskJson(task: Task): TaskJson {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    completed: task.completed,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    user_id: task.userId,
  };
}

/** Ownership lives in each WHERE clause, so another user's task and a missing one look the same: 404. */
function ownedTask(userId: string, taskId: string) {
  if (!TaskId.safeParse(taskId).success) throw taskNotFound();
  return { id: taskId, userId };
}

/** `If-Match` as a WHERE condition on `version`; `*` and no header need only the task to exist. */
function matchingVersion(expected: VersionPrecondition | undefined) {
  return expected === undefined || expected === "*" ? {} : { version: { in: expected } };
}

/** After a conditional write matched nothing: 412 if the task exists (its version moved on), else 404. */
async function missingOrStale(userId: string, taskId: string, expected: VersionPrecondition | undefined) {
  if (expected === undefined || expected === "*") return taskNotFound();
  const exists = (await db().task.count({ where: ownedTask(userId, taskId) })) > 0;
  return exists ? preconditionFailed() : taskNotFound();
}

const FOREIGN_KEY_VIOLATION = "P2003";

export async function createTask(userId: string, input: TaskCreate): Promise<Task> {
  try {
    return await db().task.create({ data: { ...input, userId } });
  } catch (error) {
    // A still-unexpired token can outlive its deleted user; the token is then as good as revoked.
    if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) {
      throw unauthorized("The user this token was issued to no longer exists.");
    }
    throw error;
  }
}

export async function getTask(userId: string, taskId: string): Promise<Task> {
  const task = await db().task.findFirst({ where: ownedTask(userId, taskId) });
  if (!task) throw taskNotFound();
  return task;
}

/** One UPDATE … WHERE id, user_id [, version] … RETURNING, which also increments `version` (the ETag). */
export async function updateTask(
  userId: string,
  taskId: string,
  changes: TaskReplace | TaskPatch,
  expected?: VersionPrecondition,
): Promise<Task> {
  const [task] = await db().task.updateManyAndReturn({
    where: { ...ownedTask(userId, taskId), ...matchingVersion(expected) },
    data: { ...changes, updatedAt: new Date(), version: { increment: 1 } },
  });
  if (!task) throw await missingOrStale(userId, taskId, expected);
  return task;
}

export async function deleteTask(userId: string, taskId: string, expected?: VersionPrecondition): Promise<void> {
  const { count } = await db().task.deleteMany({
    where: { ...ownedTask(userId, taskId), ...matchingVersion(expected) },
  });
  if (count === 0) throw await missingOrStale(userId, taskId, expected);
}
