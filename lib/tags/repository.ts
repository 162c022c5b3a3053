import "server-only";
import { db, transaction } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { isRecordNotFound, violatesConstraint } from "../http/database-errors";
import { ApiError } from "../http/errors";
import { nextVersion } from "../http/versions";
import { nameKey } from "../text";
import { TagId, type TagJson, type TagPatch } from "./schema";

const tagNotFound = () => new ApiError("not_found", "No tag with this id exists for this user.");

const duplicateName = () =>
  new ApiError("conflict", "You already have another tag of this name (names are compared ignoring case).");

/** A tag and how many tasks carry it, in one query (a counting subquery). */
const TAG_SELECT = { id: true, name: true, _count: { select: { tasks: true } } } as const satisfies Prisma.TagSelect;

type StoredTag = Prisma.TagGetPayload<{ select: typeof TAG_SELECT }>;

export function toTagJson(tag: StoredTag): TagJson {
  return { id: tag.id, name: tag.name, task_count: tag._count.tasks };
}

/** Ownership lives in each WHERE clause, so another user's tag and a missing one look the same: 404. */
function ownedTag(userId: string, tagId: string) {
  if (!TagId.safeParse(tagId).success) throw tagNotFound();
  return { id: tagId, userId };
}

/** The tasks carrying the tag show its name in their JSON: each one's version + 1, as sync clients and ETags need. */
async function touchTasksTagged(tx: Prisma.TransactionClient, userId: string, tagId: string): Promise<void> {
  await tx.task.updateMany({
    where: { userId, tags: { some: { tagId } } },
    data: nextVersion(),
  });
}

/** By name ignoring case: the name key is the folded name. */
export function listTags(userId: string): Promise<StoredTag[]> {
  return db().tag.findMany({ where: { userId }, select: TAG_SELECT, orderBy: { nameKey: "asc" } });
}

export async function getTag(userId: string, tagId: string): Promise<StoredTag> {
  const tag = await db().tag.findFirst({ where: ownedTag(userId, tagId), select: TAG_SELECT });
  if (!tag) throw tagNotFound();
  return tag;
}

/** Another tag's name (ignoring case) is refused by the unique name key; the tag's own name in another case is not. */
export async function renameTag(userId: string, tagId: string, { name }: TagPatch): Promise<StoredTag> {
  const where = ownedTag(userId, tagId);
  try {
    return await transaction(async (tx) => {
      const tag = await tx.tag.update({
        where,
        data: { name, nameKey: nameKey(name), updatedAt: new Date() },
        select: TAG_SELECT,
      });
      await touchTasksTagged(tx, userId, tagId);
      return tag;
    });
  } catch (error) {
    if (isRecordNotFound(error)) throw tagNotFound();
    if (violatesConstraint(error, "tags_user_id_name_key_key")) throw duplicateName();
    throw error;
  }
}

/** Takes the tag off every task (its task_tags rows cascade) and deletes it; a missing tag rolls the bump back. */
export async function deleteTag(userId: string, tagId: string): Promise<void> {
  const where = ownedTag(userId, tagId);
  await transaction(async (tx) => {
    await touchTasksTagged(tx, userId, tagId);
    const { count } = await tx.tag.deleteMany({ where });
    if (count === 0) throw tagNotFound();
  });
}
