// The list routes: a user's named lists, their order, and what deleting one does with its tasks.

import { LIST_NAME_MAX_CHARS, LISTS_PER_USER_MAX, ListDeleteQuery, ListMoveInput, ListName } from "../lists/schema";
import { IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY_PARAMETER, REPLAYED_HEADERS } from "./idempotency";
import { annotate, TITLE_PATTERN } from "./json-schema";
import {
  apiResponse,
  BEARER,
  BODY_ERRORS,
  errorResponses,
  type Json,
  notModifiedResponse,
  preflight,
  queryParameters,
  ref,
  requestBody,
  SERVER_ERRORS,
  TOKEN_ERRORS,
  VERSIONED_WRITE_ERRORS,
  versionedResponse,
} from "./parts";

// The rules the schemas enforce in code (refine), restated where JSON Schema can say them (see json-schema.ts).
annotate(ListName, {
  description:
    `Trimmed, then 1–${LIST_NAME_MAX_CHARS} characters (code points); unique per user ignoring case (else 409 ` +
    "`conflict`). The server counts after trimming, so it also takes a longer name padded with white space. No NUL " +
    "characters, no lone surrogates.",
  minLength: 1,
  maxLength: LIST_NAME_MAX_CHARS,
  pattern: TITLE_PATTERN,
  examples: ["Groceries"],
});
annotate(ListMoveInput, { description: "Exactly one of `before` and `after`.", minProperties: 1, maxProperties: 1 });

const LIST_TAG = ["Lists"];

export function listPaths(): Json {
  const listPathParameters = [ref("parameters", "UserId"), ref("parameters", "ListId")];
  return {
    "/api/{userId}/lists": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "listLists",
        tags: LIST_TAG,
        summary: "List the lists",
        description: `All the user's lists (at most ${LISTS_PER_USER_MAX}), in their order: by \`position\`, then \`id\`.`,
        security: BEARER,
        responses: {
          200: apiResponse("The lists: a JSON array (possibly empty).", {
            type: "array",
            maxItems: LISTS_PER_USER_MAX,
            items: ref("schemas", "List"),
          }),
          ...errorResponses([...TOKEN_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      post: {
        operationId: "createList",
        tags: LIST_TAG,
        summary: "Create a list",
        description:
          `The new list goes last in the user's order. A user has at most ${LISTS_PER_USER_MAX} lists: one more is a ` +
          "409 `conflict`, as is a name the user already has (ignoring case).",
        security: BEARER,
        parameters: [IDEMPOTENCY_KEY_PARAMETER],
        requestBody: requestBody("ListInput", "The list's name."),
        responses: {
          201: versionedResponse("List", "The new list.", {
            Location: ref("headers", "Location"),
            ...REPLAYED_HEADERS,
          }),
          ...errorResponses(
            [...TOKEN_ERRORS, ...BODY_ERRORS, "conflict", ...IDEMPOTENCY_ERRORS, ...SERVER_ERRORS],
            "api",
          ),
        },
      },
      options: preflight("preflightLists", "CORS preflight of the lists", ["invalid_path"]),
    },
    "/api/{userId}/lists/{listId}": {
      parameters: listPathParameters,
      get: {
        operationId: "getList",
        tags: LIST_TAG,
        summary: "Get a list",
        security: BEARER,
        parameters: [ref("parameters", "IfNoneMatch")],
        responses: {
          200: versionedResponse("List", "The list."),
          304: notModifiedResponse("list"),
          ...errorResponses([...TOKEN_ERRORS, "not_found", ...SERVER_ERRORS], "api"),
        },
      },
      patch: {
        operationId: "renameList",
        tags: LIST_TAG,
        summary: "Rename a list",
        description:
          "Another of the user's lists' names (ignoring case) is a 409 `conflict`; its own in another case is not.",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch")],
        requestBody: requestBody("ListInput", "The list's new name."),
        responses: {
          200: versionedResponse("List", "The renamed list."),
          ...errorResponses([...VERSIONED_WRITE_ERRORS, "conflict"], "api"),
        },
      },
      delete: {
        operationId: "deleteList",
        tags: LIST_TAG,
        summary: "Delete a list",
        description:
          "`tasks` says what becomes of the list's tasks, in the same transaction as the deletion: moved to the " +
          "Inbox (each one's `version` and `updated_at` change, as for any write) or deleted with it. Without it, " +
          "only a list without tasks is deleted.",
        security: BEARER,
        parameters: [...queryParameters(ListDeleteQuery), ref("parameters", "IfMatch")],
        responses: {
          204: apiResponse("Deleted: no body."),
          ...errorResponses(
            [...TOKEN_ERRORS, "validation_error", "not_found", "conflict", "precondition_failed", ...SERVER_ERRORS],
            "api",
          ),
        },
      },
      options: preflight("preflightList", "CORS preflight of a list", ["invalid_path"]),
    },
    "/api/{userId}/lists/{listId}/move": {
      parameters: listPathParameters,
      post: {
        operationId: "moveList",
        tags: LIST_TAG,
        summary: "Move a list in the order",
        description:
          "Puts the list just `before` or just `after` another of the user's lists. Only this list's row is written " +
          "(its `position` and `version`). A neighbour that is not another of the user's lists is a 422 naming the field.",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch"), IDEMPOTENCY_KEY_PARAMETER],
        requestBody: requestBody("ListMove", "Where the list goes."),
        responses: {
          200: versionedResponse("List", "The moved list.", REPLAYED_HEADERS),
          ...errorResponses([...VERSIONED_WRITE_ERRORS, ...IDEMPOTENCY_ERRORS], "api"),
        },
      },
      options: preflight("preflightListMove", "CORS preflight of a list's move", ["invalid_path"]),
    },
  };
}
