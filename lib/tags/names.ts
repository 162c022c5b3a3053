import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { nameKey } from "../text";

/** The names by their key (folded for "ignoring case"), each key with the first spelling given. */
function byKey(names: string[]): Map<string, string> {
  const keyed = new Map<string, string>();
  for (const name of names) if (!keyed.has(nameKey(name))) keyed.set(nameKey(name), name);
  return keyed;
}

/** Makes the user's tags of these names that do not exist yet (ignoring case); how many it made. */
export async function createTagsNamed(tx: Prisma.TransactionClient, userId: string, names: string[]): Promise<number> {
  const keyed = byKey(names);
  if (keyed.size === 0) return 0;
  const { count } = await tx.tag.createMany({
    data: [...keyed].map(([key, name]) => ({ userId, name, nameKey: key })),
    skipDuplicates: true,
  });
  return count;
}

/**
 * The ids of the user's tags with these names, creating the missing ones: a name differing only in case from an
 * existing tag is that tag (its first spelling stays). Concurrent writers creating the same tag both get its one row.
 */
export async function tagIdsFor(tx: Prisma.TransactionClient, userId: string, names: string[]): Promise<string[]> {
  const keys = [...byKey(names).keys()];
  if (keys.length === 0) return [];
  await createTagsNamed(tx, userId, names);
  const tags = await tx.tag.findMany({ where: { userId, nameKey: { in: keys } }, select: { id: true } });
  return tags.map((tag) => tag.id);
}
