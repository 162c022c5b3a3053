import "server-only";
import { unauthorized } from "../auth/bearer";
import { db } from "../db";
import type { Task } from "../generated/prisma/client";
import { taskNotFound } from "../http/errors";
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

export function listTasks(userId: string): Promise<Task[]> {
  return db().task.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
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

export async function updateTask(userId: string, taskId: string, changes: TaskReplace | TaskPatch): Promise<Task> {
  const [task] = await db().task.updateManyAndReturn({
    where: ownedTask(userId, taskId),
    data: { ...changes, updatedAt: new Date() },
  });
  if (!task) throw taskNotFound();
  return task;
}

export async function deleteTask(userId: string, taskId: string): Promise<void> {
  const { count } = await db().task.deleteMany({ where: ownedTask(userId, taskId) });
  if (count === 0) throw taskNotFound();
}
