// The change feed's shapes: its query string and its events (docs/decisions/0016-change-feed.md). Client-safe.
import { z } from "zod";
import { ListJson } from "../lists/schema";
import { TagJson } from "../tags/schema";
import { pageLimit, TaskJson } from "../tasks/schema";

/** How long events are kept; the migration's `changes_retention()` says the same (tests/api/changes-retention.test.ts). */
export const CHANGE_RETENTION_DAYS = 30;

/**
 * A position in one user's feed: opaque to clients. It is the number of the last event seen (0 before the first),
 * in decimal; `event_id`s and `next` are such tokens.
 */
export const ChangeToken = z.string().meta({
  description:
    "Opaque: resume after this point of the feed. A `next` or an `event_id` the feed gave you; never build one.",
});

/** `GET /api/{userId}/changes`: `since` is checked by lib/changes/token.ts (400 or 410), `limit` here (422). */
export const ChangesQuery = z.object({
  since: z.string().optional(),
  limit: pageLimit(),
});

export type ChangesQuery = z.infer<typeof ChangesQuery>;

/** `GET /api/{userId}/events`: where to start, when there is no `Last-Event-ID` header (which wins). */
export const EventsQuery = ChangesQuery.pick({ since: true });

/** Why a stream ended by itself (its last message, `event: end`): the client reconnects at once, with a new token. */
export const StreamEndReason = z.enum(["token_expired", "max_duration", "session_ended", "shutdown"]);

export type StreamEndReason = z.infer<typeof StreamEndReason>;

const upserted = <Type extends string, Data extends z.ZodType>(type: Type, data: Data, what: string) =>
  z
    .object({ event_id: ChangeToken, type: z.literal(type), id: z.uuid(), data })
    .meta({ description: `${what}: \`data\` is its whole new state, as its GET answers it.` });

const deleted = <Type extends string>(type: Type, what: string) =>
  z
    .object({ event_id: ChangeToken, type: z.literal(type), id: z.uuid() })
    .meta({ description: `${what}: no \`data\`.` });

/** One change of one object, `data` its state as committed (absent on a deletion). */
export const ChangeEvent = z.discriminatedUnion("type", [
  upserted("task.upserted", TaskJson, "A task was created or changed"),
  deleted("task.deleted", "A task was deleted"),
  upserted("list.upserted", ListJson, "A list was created or changed"),
  deleted("list.deleted", "A list was deleted"),
  upserted("tag.upserted", TagJson, "A tag was created or changed (its name, or how many tasks carry it)"),
  deleted("tag.deleted", "A tag was deleted"),
]);

export type ChangeEvent = z.infer<typeof ChangeEvent>;
export type ChangeType = ChangeEvent["type"];

export const ChangesPage = z.object({
  events: z.array(ChangeEvent).meta({ description: "The events after `since`, oldest first; at most `limit`." }),
  next: ChangeToken.meta({
    description:
      "Resume here: the last event's `event_id`, or `since` when there are none (without `since`: now). Fewer " +
      "events than `limit` means there were no more when this page was read.",
  }),
});

export type ChangesPage = z.infer<typeof ChangesPage>;
