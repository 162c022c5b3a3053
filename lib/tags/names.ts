import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { nameKey } from "../text";

/** The names by their key (folded for "ignoring case"), each key with the first spelling given. */
function byKey(names: string[]): Map<string, string> {
  const keyed = new Map<string, string>();
  for (const name of names) if (!keyed.has(nameKey(name))) keyed.set(nameKey(name), name);
  return keyed;
}

async function createKeyed(tx: Prisma.TransactionClient, userId: string, keyed: Map<string, string>): Promise<number> {
  if (keyed.size === 0) return 0;
  const { count } = await tx.tag.createMany({
    data: [...keyed].map(([key, name]) => ({ userId, name, nameKey: key })),
    skipDuplicates: true,
  });
  return count;
}

/** Makes the user's tags of these names that do not exist yet (ignoring case); how many it made. */
export function createTagsNamed(tx: Prisma.TransactionClient, userId: string, names: string[]): Promise<number> {
  return createKeyed(tx, userId, byKey(names));
}

/**
 * The ids of the user's tags with these names, creating the missing ones: a name differing only in case from an
 * existing tag is that tag (its first spelling stays). Concurrent writers creating the same tag both get its one row.
 */
export async function tagIdsFor(tx: Prisma.TransactionClient, userId: string, names: string[]): Promise<string[]> {
  const keyed = byKey(names);
  if (keyed.size === 0) return [];
  await createKeyed(tx, userId, keyed);
  const tags = await tx.tag.findMany({ where: { userId, nameKey: { in: [...keyed.keys()] } }, select: { id: true } });
  return tags.map((tag) => tag.id);
}
