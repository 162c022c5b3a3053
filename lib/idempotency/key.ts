import { createHash } from "node:crypto";
import { ApiError } from "../http/errors";

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";
/** How long a key holds its first answer; after that it may be used again, as a new request. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** 1–255 printable ASCII characters (spaces inside allowed; the Fetch API trims them at the ends). */
const KEY_SYNTAX = /^[\x20-\x7e]{1,255}$/;

/** The request's Idempotency-Key, if it sent one: 400 unless it is 1–255 printable ASCII characters. */
export function readIdempotencyKey(headers: Headers): string | undefined {
  const key = headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null) return undefined;
  if (!KEY_SYNTAX.test(key)) {
    throw new ApiError(
      "invalid_idempotency_key",
      "The Idempotency-Key header must be 1 to 255 printable ASCII characters, sent once (a UUID is a good key).",
    );
  }
  return key;
}

/**
 * What makes two requests "the same" for a key: the method, the path with its query string and the body as JSON
 * (so whitespace or escapes that do not change the JSON do not matter). SHA-256, hex.
 */
export function requestFingerprint(request: Request, body: unknown): string {
  const { pathname, search } = new URL(request.url);
  return createHash("sha256")
    .update(`${request.method} ${pathname}${search}\n`)
    .update(JSON.stringify(body) ?? "")
    .digest("hex");
}
