// The change feed: every committed change of the user's tasks, lists and tags, in commit order.
import type { z } from "zod";
import { CHANGE_RETENTION_DAYS, ChangeEvent, ChangesPage, ChangesQuery } from "../changes/schema";
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

/** The objects an event carries are the components their routes answer with. */
const DATA_REFS: ComponentRefs = new Map<z.ZodType, string>([
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

export function changePaths(): Json {
  return {
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
