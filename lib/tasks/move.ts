import "server-only";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { ApiError } from "../http/errors";
import type { VersionPrecondition } from "../http/etag";
import { versionsMatching } from "../http/versions";
import { positionBetween } from "../position";
import { missingOrStale, ownedTask, refusal, taskNotFound } from "./repository";
import { type StoredTask, updateTask } from "./rows";
import type { TaskMove } from "./schema";

const noSuchNeighbour = (field: "before" | "after") =>
  new ApiError("validation_error", `The request body is invalid: ${field} names no other task of that list.`, {
    fields: [{ field, message: `${field} names no other task of yours in the list the task goes to` }],
  });

type Place = { userId: string; listId: string | null; taskId: string };

/** The neighbour's key, looked up in the target list: another user's task, or one in another list, is none. */
async function neighbourKey({ userId, listId, taskId }: Place, field: "before" | "after", id: string) {
  if (id === taskId) throw noSuchNeighbour(field);
  const neighbour = await db().task.findFirst({ where: { id, userId, listId }, select: { position: true } });
  if (!neighbour) throw noSuchNeighbour(field);
  return neighbour.position;
}

/** The nearest key of the list strictly beyond `key` (the moving task aside), or null at the end. */
async function nextKey({ userId, listId, taskId }: Place, key: string | null, direction: "asc" | "desc") {
  const beyond = key === null ? {} : { position: direction === "asc" ? { gt: key } : { lt: key } };
  const next = await db().task.findFirst({
    where: { userId, listId, id: { not: taskId }, ...beyond },
    orderBy: [{ position: direction }, { id: direction }],
    select: { position: true },
  });
  return next?.position ?? null;
}

async function newPosition(place: Place, move: TaskMove): Promise<string> {
  if (move.after !== undefined) {
    const after = await neighbourKey(place, "after", move.after);
    return positionBetween(after, await nextKey(place, after, "asc"));
  }
  if (move.before !== undefined) {
    const before = await neighbourKey(place, "before", move.before);
    return positionBetween(await nextKey(place, before, "desc"), before);
  }
  return positionBetween(null, await nextKey(place, null, "asc"));
}

/**
 * Puts a task before or after another of the target list, or at its top: reads the neighbours' keys, then writes
 * only this task's row (its position, its list, version + 1), under `If-Match` as every write is.
 */
export async function moveTask(
  userId: string,
  taskId: string,
  move: TaskMove,
  expected?: VersionPrecondition,
): Promise<StoredTask> {
  const where = ownedTask(userId, taskId);
  let listId = move.list_id;
  if (listId === undefined) {
    const current = await db().task.findFirst({ where, select: { listId: true } });
    if (!current) throw taskNotFound();
    listId = current.listId;
  }
  const position = await newPosition({ userId, listId, taskId }, move);
  let task: StoredTask | undefined;
  try {
    task = await updateTask(db(), {
      userId,
      taskId: where.id,
      assignments: [
        ["position", Prisma.sql`${position}`],
        ["list_id", Prisma.sql`${listId}::uuid`],
      ],
      versions: versionsMatching(expected),
    });
  } catch (error) {
    throw refusal(error);
  }
  if (!task) throw await missingOrStale(userId, taskId, expected);
  return task;
}
