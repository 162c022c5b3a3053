/**
 * A task's or list's ETag is its `version` (incremented by every write in the same UPDATE), as a strong entity tag.
 * Two writes in the same millisecond still give different tags, which hashing `updated_at` would not.
 */
export function versionETag(row: { version: number }): string {
  return `"${row.version}"`;
}

/** What an `If-Match` header asks for: any existing row (`*`), or one of these versions (possibly none). */
export type VersionPrecondition = "*" | number[];

const ENTITY_TAG = /(W\/)?"([^"]*)"/g;

function entityTags(header: string): { weak: boolean; opaque: string }[] {
  return [...header.matchAll(ENTITY_TAG)].map((match) => ({ weak: match[1] !== undefined, opaque: match[2] ?? "" }));
}

/** The `version` column is a PostgreSQL integer: a larger number is no version a row can have. */
const MAX_VERSION = 2 ** 31 - 1;

function version(opaque: string): number | undefined {
  if (!/^[1-9]\d{0,9}$/.test(opaque)) return undefined;
  const value = Number(opaque);
  return value <= MAX_VERSION ? value : undefined;
}

/**
 * Reads `If-Match` (RFC 9110 §13.1.1): undefined without the header (last write wins). Comparison is strong, so weak
 * tags and tags this server never issued match nothing, and the write is refused with 412.
 */
export function readIfMatch(headers: Headers): VersionPrecondition | undefined {
  return parseIfMatch(headers.get("if-match") ?? undefined);
}

/** An `If-Match` value as readIfMatch reads it (a batch operation's `if_match` carries one). */
export function parseIfMatch(header: string | undefined): VersionPrecondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === "*") return "*";
  return entityTags(header).flatMap(({ weak, opaque }) => {
    const parsed = weak ? undefined : version(opaque);
    return parsed === undefined ? [] : [parsed];
  });
}

/** True when `If-None-Match` (weak comparison, RFC 9110 §13.1.2) names the row's current tag, or is `*`. */
export function ifNoneMatchHits(headers: Headers, row: { version: number }): boolean {
  const header = headers.get("if-none-match");
  if (header === null) return false;
  if (header.trim() === "*") return true;
  return entityTags(header).some(({ opaque }) => version(opaque) === row.version);
}
