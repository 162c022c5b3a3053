// The tag routes: a user's tags, how many tasks carry each, and renaming or deleting one across those tasks.
import type { ErrorCode } from "../http/error-body";
import {
  apiResponse,
  BEARER,
  BODY_ERRORS,
  errorResponses,
  type Json,
  preflight,
  ref,
  requestBody,
  SERVER_ERRORS,
  TOKEN_ERRORS,
} from "./parts";

const TAG_TAG = ["Tags"];

const ONE_TAG_ERRORS: ErrorCode[] = [...TOKEN_ERRORS, "not_found", ...SERVER_ERRORS];

const CARRIERS_CHANGE =
  "Every task that carries the tag changes with it, in the same transaction: its `version` grows by one and its " +
  "`updated_at` moves on, as for any write to the task.";

export function tagPaths(): Json {
  return {
    "/api/{userId}/tags": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "listTags",
        tags: TAG_TAG,
        summary: "List the tags",
        description:
          "All the user's tags, by name ignoring case, each with how many tasks carry it (0 for a tag no task " +
          "carries any more). A tag comes into being when a task is first given it.",
        security: BEARER,
        responses: {
          200: apiResponse("The tags: a JSON array (possibly empty).", { type: "array", items: ref("schemas", "Tag") }),
          ...errorResponses([...TOKEN_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightTags", "CORS preflight of the tags", ["invalid_path"]),
    },
    "/api/{userId}/tags/{tagId}": {
      parameters: [ref("parameters", "UserId"), ref("parameters", "TagId")],
      get: {
        operationId: "getTag",
        tags: TAG_TAG,
        summary: "Get a tag",
        security: BEARER,
        responses: {
          200: apiResponse("The tag.", ref("schemas", "Tag")),
          ...errorResponses(ONE_TAG_ERRORS, "api"),
        },
      },
      patch: {
        operationId: "renameTag",
        tags: TAG_TAG,
        summary: "Rename a tag",
        description:
          "Another of the user's tags' names (ignoring case) is a 409 `conflict`; the tag's own in another case is " +
          `not. ${CARRIERS_CHANGE}`,
        security: BEARER,
        requestBody: requestBody("TagPatch", "The tag's new name."),
        responses: {
          200: apiResponse("The renamed tag.", ref("schemas", "Tag")),
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, "not_found", "conflict", ...SERVER_ERRORS], "api"),
        },
      },
      delete: {
        operationId: "deleteTag",
        tags: TAG_TAG,
        summary: "Delete a tag",
        description: `Takes the tag off every task and deletes it. ${CARRIERS_CHANGE}`,
        security: BEARER,
        responses: {
          204: apiResponse("Deleted: no body."),
          ...errorResponses(ONE_TAG_ERRORS, "api"),
        },
      },
      options: preflight("preflightTag", "CORS preflight of a tag", ["invalid_path"]),
    },
  };
}
