import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { derivedKey } from "../derived-key";
import { invalidCursor } from "../http/errors";
import { effectiveSort, type TaskListQuery } from "./schema";

/** Where a page ended: the last task's sort value (see lib/tasks/list.ts sortValue) and id. */
export const CursorPosition = z.strictObject({ after: z.string(), id: z.uuid() });
export type CursorPosition = z.infer<typeof CursorPosition>;

const MAC_BYTES = 16;
const MAX_CURSOR_CHARS = 4096;

/** The cursor holds for one user and one sort and filter combination; `limit` may change between pages. */
function binding(userId: string, query: TaskListQuery): string {
  const { limit: _limit, cursor: _cursor, ...rest } = query;
  const filters = Object.entries({ ...rest, sort: effectiveSort(query) }).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([userId, filters]);
}

function mac(payload: string, userId: string, query: TaskListQuery): Buffer {
  return createHmac("sha256", derivedKey("taskapp task-list cursor v2"))
    .update(binding(userId, query))
    .update("\n")
    .update(payload)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** `base64url(JSON position).base64url(HMAC)`: opaque to clients, and unforgeable without the server secret. */
export function encodeCursor(position: CursorPosition, userId: string, query: TaskListQuery): string {
  const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
  return `${payload}.${mac(payload, userId, query).toString("base64url")}`;
}

/** The position a cursor names; 400 `invalid_cursor` if it was altered, or made for another user or query. */
export function decodeCursor(cursor: string, userId: string, query: TaskListQuery): CursorPosition {
  const [payload, signature, ...rest] = cursor.length <= MAX_CURSOR_CHARS ? cursor.split(".") : [];
  if (!payload || !signature || rest.length > 0) throw invalidCursor();
  // Compared as text: Node's base64 decoder skips stray characters, so decoded bytes could match an altered string.
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(payload, userId, query).toString("base64url"));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const position = CursorPosition.safeParse(decoded);
  if (!position.success) throw invalidCursor();
  return position.data;
}
