import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { nameKey } from "../text";

/**
 * The ids of the user's tags with these names, creating the missing ones: a name differing only in case from an
 * existing tag is that tag (its first spelling stays). Concurrent writers creating the same tag both get its one row.
 */
export async function tagIdsFor(tx: Prisma.TransactionClient, userId: string, names: string[]): Promise<string[]> {
  const byKey = new Map<string, string>();
  for (const name of names) if (!byKey.has(nameKey(name))) byKey.set(nameKey(name), name);
  if (byKey.size === 0) return [];
  await tx.tag.createMany({
    data: [...byKey].map(([key, name]) => ({ userId, name, nameKey: key })),
    skipDuplicates: true,
  });
  const tags = await tx.tag.findMany({ where: { userId, nameKey: { in: [...byKey.keys()] } }, select: { id: true } });
  return tags.map((tag) => tag.id);
}
