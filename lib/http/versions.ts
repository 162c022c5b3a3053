import type { VersionPrecondition } from "./etag";

/** `If-Match` as a WHERE condition on `version`; `*` and no header need only the row to exist. */
export function matchingVersion(expected: VersionPrecondition | undefined) {
  return expected === undefined || expected === "*" ? {} : { version: { in: expected } };
}

/** What every write to a task or list sets besides its own columns: the next version (so a new ETag) and the time. */
export const nextVersion = () => ({ updatedAt: new Date(), version: { increment: 1 } });
