import type { VersionPrecondition } from "./etag";

/** `If-Match` as a WHERE condition on `version`; `*` and no header need only the row to exist. */
export function matchingVersion(expected: VersionPrecondition | undefined) {
  return expected === undefined || expected === "*" ? {} : { version: { in: expected } };
}
