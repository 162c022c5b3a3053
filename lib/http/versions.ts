import type { VersionPrecondition } from "./etag";

/** `If-Match` as the versions the row may have; `*` and no header need only the row to exist (undefined). */
export const versionsMatching = (expected: VersionPrecondition | undefined) =>
  expected === undefined || expected === "*" ? undefined : expected;

/** `If-Match` as a Prisma WHERE condition on `version` (the raw task statements take versionsMatching). */
export function matchingVersion(expected: VersionPrecondition | undefined) {
  const versions = versionsMatching(expected);
  return versions ? { version: { in: versions } } : {};
}

/**
 * What a write through Prisma's model API to a versioned row sets besides its own columns: the next version (so a
 * new ETag) and the time.
 */
export const nextVersion = () => ({ updatedAt: new Date(), version: { increment: 1 } });
