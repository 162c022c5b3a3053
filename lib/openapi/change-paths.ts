// The change feed: every committed change of the user's tasks, lists and tags, in commit order.
import type { z } from "zod";
import {
  CHANGE_RETENTION_DAYS,
  ChangeEvent,
  ChangesPage,
  ChangesQuery,
  EventsQuery,
  StreamEndReason,
} from "../changes/schema";
import { HEARTBEAT_MS, MAX_STREAMS_PER_USER } from "../changes/stream";
import { ListJson } from "../lists/schema";
import { TagJson } from "../tags/schema";
import { TASK_LIST_MAX_LIMIT, TaskJson } from "../tasks/schema";
import { annotate, type ComponentRefs, jsonSchemaOf } from "./json-schema";
import {
  apiResponse,
  BEARER,
  errorResponses,
  type Json,
  preflight,
  queryParameters,
  ref,
  SERVER_ERRORS,
  TOKEN_ERRORS,
} from "./parts";

annotate(ChangesQuery.shape.since, {
  description:
    "Opaque: the events after this point, a `next` or an `event_id` this feed gave you. Without it: no events, and a " +
    "`next` for now. Anything else is a 400 `invalid_cursor`; a token whose following events are no longer kept " +
    `(after ${CHANGE_RETENTION_DAYS} days), or one ahead of the feed, is a 410 \`resync_required\`.`,
});
annotate(ChangesQuery.shape.limit, { description: `Events per page, 1–${TASK_LIST_MAX_LIMIT} (decimal digits).` });

/** The objects an event (or an export) carries are the components their routes answer with. */
export const DATA_REFS: ComponentRefs = new Map<z.ZodType, string>([
  [TaskJson, "Task"],
  [ListJson, "List"],
  [TagJson, "Tag"],
]);

export function changeSchemas(): Json {
  return {
    ChangeEvent: {
      ...jsonSchemaOf(ChangeEvent, "output", DATA_REFS),
      discriminator: { propertyName: "type" },
      description:
        "One change of one of the user's objects. `id` is the object's; `data` its whole new state (exactly what " +
        "its GET answers) on an upsert, absent on a deletion. `event_id` is a token: `since=<event_id>` gives the " +
        "events after this one.",
    },
    Changes: {
      ...jsonSchemaOf(ChangesPage, "output", new Map([...DATA_REFS, [ChangeEvent, "ChangeEvent"]])),
      description: "A page of the change feed.",
    },
  };
}

const FEED_DESCRIPTION =
  "Every create, update and delete of the user's tasks, lists and tags, recorded in the transaction that made it, " +
  "oldest first, in commit order: nothing is listed that did not commit, nothing committed is left out. One write " +
  "gives one event per object it changed (a list deleted with its tasks: each task, then the list; a tag renamed: " +
  "the tag and every task carrying it; a task given a tag: the task and the tag's count). Applying the events in " +
  "order (an upsert replaces the object, a deletion removes it) mirrors the account.\n\n" +
  "To sync: call without `since`, keep `next`, read the tasks, lists and tags; then call with `since=<next>` and " +
  "apply the events, as long as a page comes back full, and keep the last `next`. A 410 `resync_required` means the " +
  `feed no longer holds every event after your token (they are kept ${CHANGE_RETENTION_DAYS} days): start again. ` +
  "Tokens are opaque strings; another user's events are never listed.";

const STREAM_DESCRIPTION =
  "The change feed as it happens, as server-sent events (`text/event-stream`), for clients that stay open: the same " +
  "events as `GET /changes`, in the same order, each as it commits on any instance of the app. Authenticate with " +
  "the same Bearer token (so a browser reads it with `fetch`, not `EventSource`, which cannot send headers).\n\n" +
  "Where it starts: after the `Last-Event-ID` header (what an SSE client sends when it reconnects), else after " +
  "`since`, else now. Both take a token of the feed; a bad one is a 400 `invalid_cursor`, one the feed cannot resume " +
  "from a 410 `resync_required` (re-read your tasks, lists and tags, then connect without one). Every refusal comes " +
  "before the stream, as the usual error body; a user may hold " +
  `${MAX_STREAMS_PER_USER} streams on one instance at once (a 429 beyond, with Retry-After).\n\n` +
  "The stream: first `retry: 3000`, then `event: ready` whose `id` is the token the stream starts after and whose " +
  'data is `{"next": <that token>}`; then each change as `id: <event_id>`, `event: <type>` and `data: <the ' +
  "ChangeEvent as JSON>` (the `ChangeEvent` schema, one line); a `: heartbeat` comment every " +
  `${HEARTBEAT_MS / 1000} s. It ends by itself with \`event: end\` and data \`{"reason": …}\` ` +
  `(${StreamEndReason.options.map((reason) => `\`${reason}\``).join(", ")}) when the token expires, after the ` +
  "server's longest stream time, when the token's session ends or when the server stops: reconnect at once, with a " +
  "new token and `Last-Event-ID` set to the last `id` you received. After a cut without `end`, reconnect after " +
  "`retry` milliseconds the same way.";

export function changePaths(): Json {
  return {
    "/api/{userId}/events": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "streamChanges",
        tags: ["Changes"],
        summary: "Follow the change feed live (server-sent events)",
        description: STREAM_DESCRIPTION,
        security: BEARER,
        parameters: [
          ...queryParameters(EventsQuery),
          {
            name: "Last-Event-ID",
            in: "header",
            required: false,
            description: "A token of the feed: the stream starts after it. Takes precedence over `since`.",
            schema: { type: "string" },
          },
        ],
        responses: {
          200: {
            ...apiResponse("The stream, open until it ends by itself or the client closes it."),
            content: {
              "text/event-stream": {
                schema: { type: "string", description: "Server-sent events; `data` lines hold `ChangeEvent` JSON." },
              },
            },
          },
          ...errorResponses([...TOKEN_ERRORS, "invalid_cursor", "resync_required", ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightEvents", "CORS preflight of the event stream", ["invalid_path"]),
    },
    "/api/{userId}/changes": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "listChanges",
        tags: ["Changes"],
        summary: "Read the change feed",
        description: FEED_DESCRIPTION,
        security: BEARER,
        parameters: queryParameters(ChangesQuery),
        responses: {
          200: apiResponse(
            "The events after `since` (none without it) and where to resume.",
            ref("schemas", "Changes"),
          ),
          ...errorResponses(
            [...TOKEN_ERRORS, "invalid_cursor", "resync_required", "validation_error", ...SERVER_ERRORS],
            "api",
          ),
        },
      },
      options: preflight("preflightChanges", "CORS preflight of the change feed", ["invalid_path"]),
    },
  };
}
