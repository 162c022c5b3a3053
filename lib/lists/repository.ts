import "server-only";
import { userGone } from "../auth/bearer";
import { db, lockUsersCreations, transaction } from "../db";
import type { Prisma, TaskList } from "../generated/prisma/client";
import { isRecordNotFound, violatesConstraint, violatesForeignKey } from "../http/database-errors";
import { ApiError } from "../http/errors";
import type { VersionPrecondition } from "../http/etag";
import { matchingVersion, nextVersion } from "../http/versions";
import { positionBetween } from "../position";
import { nameKey } from "../text";
import {
  LISTS_PER_USER_MAX,
  type ListDeleteQuery,
  ListId,
  type ListInput,
  type ListJson,
  type ListMove,
} from "./schema";

type Client = Prisma.TransactionClient;

const listNotFound = () => new ApiError("not_found", "No list with this id exists for this user.");

const listChanged = () =>
  new ApiError("precondition_failed", "The list has changed since the ETag you sent in If-Match; fetch it again.");

const duplicateName = () =>
  new ApiError("conflict", "You already have a list of this name (names are compared ignoring case).");

const stillHoldsTasks = () =>
  new ApiError(
    "conflict",
    "The list still holds tasks: delete it with ?tasks=move (they go to the Inbox) or ?tasks=delete (they go with it).",
  );

const tooManyLists = () =>
  new ApiError("conflict", `You already have ${LISTS_PER_USER_MAX} lists, the most a user may have; delete one first.`);

const noSuchNeighbour = (field: "before" | "after") =>
  new ApiError("validation_error", `The request body is invalid: ${field} names no other list of yours.`, {
    fields: [{ field, message: `${field} names no other list of yours` }],
  });

export function toListJson(list: TaskList): ListJson {
  return {
    id: list.id,
    name: list.name,
    position: list.position,
    created_at: list.createdAt.toISOString(),
    updated_at: list.updatedAt.toISOString(),
    version: list.version,
  };
}

/** Ownership lives in each WHERE clause, so another user's list and a missing one look the same: 404. */
function ownedList(userId: string, listId: string) {
  if (!ListId.safeParse(listId).success) throw listNotFound();
  return { id: listId, userId };
}

/** After a conditional write matched nothing: 412 if the list exists (its version moved on), else 404. */
async function missingOrStale(client: Client, userId: string, listId: string, expected?: VersionPrecondition) {
  if (expected === undefined || expected === "*") return listNotFound();
  const exists = (await client.taskList.count({ where: ownedList(userId, listId) })) > 0;
  return exists ? listChanged() : listNotFound();
}

/** The database's own rules, as the client's mistakes: the unique name key, and the tasks' reference to the list. */
function refusal(error: unknown): unknown {
  if (violatesConstraint(error, "lists_user_id_name_key_key")) return duplicateName();
  if (violatesConstraint(error, "tasks_list_id_user_id_fkey")) return stillHoldsTasks();
  if (violatesForeignKey(error)) return userGone();
  return error;
}

const LIST_ORDER = [{ position: "asc" }, { id: "asc" }] satisfies Prisma.TaskListOrderByWithRelationInput[];

export function listLists(userId: string): Promise<TaskList[]> {
  return db().taskList.findMany({ where: { userId }, orderBy: LIST_ORDER });
}

export async function getList(userId: string, listId: string): Promise<TaskList> {
  const list = await db().taskList.findFirst({ where: ownedList(userId, listId) });
  if (!list) throw listNotFound();
  return list;
}

/** A new list goes last. */
export async function createList(userId: string, { name }: ListInput): Promise<TaskList> {
  try {
    return await transaction(async (tx) => {
      // Also keeps two new lists from taking the same last key.
      await lockUsersCreations(tx, "lists", userId);
      if ((await tx.taskList.count({ where: { userId } })) >= LISTS_PER_USER_MAX) throw tooManyLists();
      const last = await tx.taskList.findFirst({
        where: { userId },
        orderBy: [{ position: "desc" }, { id: "desc" }],
        select: { position: true },
      });
      const position = positionBetween(last?.position ?? null, null);
      return tx.taskList.create({ data: { userId, name, nameKey: nameKey(name), position } });
    });
  } catch (error) {
    throw refusal(error);
  }
}

/** The user's list of this name (ignoring case), or a new one of it, made last; `created` says which. */
export async function findOrCreateList(userId: string, name: string): Promise<{ list: TaskList; created: boolean }> {
  const named = () => db().taskList.findFirst({ where: { userId, nameKey: nameKey(name) } });
  const existing = await named();
  if (existing) return { list: existing, created: false };
  try {
    return { list: await createList(userId, { name }), created: true };
  } catch (error) {
    // Made meanwhile by another request: that one is the list of this name.
    const made = error instanceof ApiError && error.code === "conflict" ? await named() : null;
    if (made) return { list: made, created: false };
    throw error;
  }
}

/** UPDATE … WHERE id, user_id [, version] … RETURNING, incrementing `version` (the ETag). */
async function writeList(
  userId: string,
  listId: string,
  data: Prisma.TaskListUpdateInput,
  expected: VersionPrecondition | undefined,
): Promise<TaskList> {
  const where = { ...ownedList(userId, listId), ...matchingVersion(expected) };
  try {
    return await db().taskList.update({ where, data: { ...data, ...nextVersion() } });
  } catch (error) {
    if (isRecordNotFound(error)) throw await missingOrStale(db(), userId, listId, expected);
    throw refusal(error);
  }
}

export function renameList(userId: string, listId: string, { name }: ListInput, expected?: VersionPrecondition) {
  return writeList(userId, listId, { name, nameKey: nameKey(name) }, expected);
}

/** The neighbour's key: the list itself, another user's list or a missing one is none. */
async function neighbourKey(userId: string, listId: string, { side, neighbour }: ListMove): Promise<string> {
  const found =
    neighbour === listId
      ? null
      : await db().taskList.findFirst({ where: { id: neighbour, userId }, select: { position: true } });
  if (!found) throw noSuchNeighbour(side);
  return found.position;
}

/** The nearest key strictly beyond `key` in that direction, or null at the end. */
async function nextKey(userId: string, key: string, direction: "asc" | "desc") {
  const next = await db().taskList.findFirst({
    where: { userId, position: direction === "asc" ? { gt: key } : { lt: key } },
    orderBy: [{ position: direction }, { id: direction }],
    select: { position: true },
  });
  return next?.position ?? null;
}

/** Reads the neighbours' keys, then writes only this list's row (its position, version + 1), under `If-Match`. */
export async function moveList(userId: string, listId: string, move: ListMove, expected?: VersionPrecondition) {
  const key = await neighbourKey(userId, listId, move);
  const position =
    move.side === "after"
      ? positionBetween(key, await nextKey(userId, key, "asc"))
      : positionBetween(await nextKey(userId, key, "desc"), key);
  return writeList(userId, listId, { position }, expected);
}

/**
 * Deletes a list under `If-Match`. Without `tasks`, the tasks' foreign key (NO ACTION) refuses a list that holds
 * any. With it, the tasks go to the Inbox (each one's version + 1, as sync clients and ETags must see the change)
 * or are deleted, and the list is deleted last, in one transaction that a mismatch (404, 412) rolls back.
 */
export async function deleteList(
  userId: string,
  listId: string,
  { tasks }: ListDeleteQuery,
  expected?: VersionPrecondition,
): Promise<void> {
  const where = { ...ownedList(userId, listId), ...matchingVersion(expected) };
  const ofTheList = { userId, listId };
  try {
    await transaction(async (tx) => {
      if (tasks === "move") {
        await tx.task.updateMany({
          where: ofTheList,
          data: { listId: null, ...nextVersion() },
        });
      }
      if (tasks === "delete") await tx.task.deleteMany({ where: ofTheList });
      const { count } = await tx.taskList.deleteMany({ where });
      if (count === 0) throw await missingOrStale(tx, userId, listId, expected);
    });
  } catch (error) {
    throw refusal(error);
  }
}
