// The task routes, the health check and this document: the API's own paths.
import { SettingsJson } from "../settings/schema";
import { TaskListQuery, TaskSummaryJson, TaskSummaryQuery } from "../tasks/schema";
import { IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY_PARAMETER, REPLAYED_HEADERS } from "./idempotency";
import { jsonSchemaOf } from "./json-schema";
import {
  API_RATE_LIMIT_HEADERS,
  apiResponse,
  BEARER,
  BODY_ERRORS,
  COMMON_HEADERS,
  errorResponses,
  type Json,
  json,
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

const TASK_TAG = ["Tasks"];

/** The task, health and document paths (the auth paths are in lib/openapi/auth-paths.ts). */
export function apiPaths(): Json {
  const taskPathParameters = [ref("parameters", "UserId"), ref("parameters", "TaskId")];
  return {
    "/api/{userId}/tasks": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "listTasks",
        tags: TASK_TAG,
        summary: "List tasks",
        description:
          'One page of the user\'s tasks (default: newest first). When more follow, `Link: <…>; rel="next"` ' +
          "(RFC 8288) is the absolute URL of the next page with the same parameters; the last page has none. " +
          "Unknown query parameters are ignored; a repeated one counts once (its last value).",
        security: BEARER,
        parameters: queryParameters(TaskListQuery),
        responses: {
          200: {
            description: "A page of tasks: a JSON array (possibly empty).",
            headers: {
              ...COMMON_HEADERS,
              Link: {
                description:
                  'The next page, when there is one: `<https://…/api/{userId}/tasks?…&cursor=…>; rel="next"`. ' +
                  "The last page has none.",
                required: false,
                schema: { type: "string", pattern: '^<[^>]+>; rel="next"$' },
              },
              ...API_RATE_LIMIT_HEADERS,
            },
            content: json({ type: "array", items: ref("schemas", "Task") }),
          },
          ...errorResponses([...TOKEN_ERRORS, "invalid_cursor", "validation_error", ...SERVER_ERRORS], "api"),
        },
      },
      post: {
        operationId: "createTask",
        tags: TASK_TAG,
        summary: "Create a task",
        security: BEARER,
        parameters: [IDEMPOTENCY_KEY_PARAMETER],
        requestBody: requestBody(
          "TaskCreate",
          "`description` defaults to null, `completed` to false, `list_id` to null (the Inbox), `due_date` and " +
            "`due_time` to null, `priority` to `none` and `tags` to none. The new task goes to the top of its " +
            "list's manual order.",
        ),
        responses: {
          201: versionedResponse("Task", "The new task.", {
            Location: ref("headers", "Location"),
            ...REPLAYED_HEADERS,
          }),
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, ...IDEMPOTENCY_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightTasks", "CORS preflight of the task list", ["invalid_path"]),
    },
    "/api/{userId}/tasks/summary": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "getTaskSummary",
        tags: TASK_TAG,
        summary: "Count tasks",
        description:
          "How many tasks the user has: all, not yet completed, and completed; and the open ones in the Inbox, in " +
          "each view, list and tag.",
        security: BEARER,
        parameters: queryParameters(TaskSummaryQuery),
        responses: {
          200: apiResponse("The counts.", jsonSchemaOf(TaskSummaryJson, "output")),
          ...errorResponses([...TOKEN_ERRORS, "validation_error", ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightTaskSummary", "CORS preflight of the task counts", ["invalid_path"]),
    },
    "/api/{userId}/tasks/{taskId}": {
      parameters: taskPathParameters,
      get: {
        operationId: "getTask",
        tags: TASK_TAG,
        summary: "Get a task",
        security: BEARER,
        parameters: [ref("parameters", "IfNoneMatch")],
        responses: {
          200: versionedResponse("Task", "The task."),
          304: notModifiedResponse("task"),
          ...errorResponses([...TOKEN_ERRORS, "not_found", ...SERVER_ERRORS], "api"),
        },
      },
      put: {
        operationId: "replaceTask",
        tags: TASK_TAG,
        summary: "Replace a task",
        description:
          "`title`, `description` (may be null) and `completed` are required; the other fields take their defaults " +
          "when absent (Inbox, no due date, priority `none`, no tags), as a full replace does. The manual order " +
          "(`position`) is kept.",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch")],
        requestBody: requestBody("TaskReplace", "The task's new content."),
        responses: {
          200: versionedResponse("Task", "The replaced task."),
          ...errorResponses(VERSIONED_WRITE_ERRORS, "api"),
        },
      },
      patch: {
        operationId: "updateTask",
        tags: TASK_TAG,
        summary: "Update some fields of a task",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch")],
        requestBody: requestBody(
          "TaskPatch",
          "Any non-empty subset of the fields. `due_time` alone keeps the stored `due_date` (422 if the task has " +
            "none); `due_date: null` clears `due_time` too; `tags` replaces the task's tags.",
        ),
        responses: {
          200: versionedResponse("Task", "The updated task."),
          ...errorResponses(VERSIONED_WRITE_ERRORS, "api"),
        },
      },
      delete: {
        operationId: "deleteTask",
        tags: TASK_TAG,
        summary: "Delete a task",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch")],
        responses: {
          204: apiResponse("Deleted: no body."),
          ...errorResponses([...TOKEN_ERRORS, "not_found", "precondition_failed", ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightTask", "CORS preflight of a task", ["invalid_path"]),
    },
    "/api/{userId}/tasks/{taskId}/move": {
      parameters: taskPathParameters,
      post: {
        operationId: "moveTask",
        tags: TASK_TAG,
        summary: "Move a task in manual order",
        description:
          "Puts the task just `before` or `after` another task of the list it goes to (`list_id`, or its own list " +
          "when absent), or at the top of that list when neither is given; `sort=position` then shows it there. " +
          "Only this task's row is written (its `position`, `list_id` and `version`).",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch"), IDEMPOTENCY_KEY_PARAMETER],
        requestBody: requestBody("TaskMove", "Where the task goes."),
        responses: {
          200: versionedResponse("Task", "The moved task.", REPLAYED_HEADERS),
          ...errorResponses([...VERSIONED_WRITE_ERRORS, ...IDEMPOTENCY_ERRORS], "api"),
        },
      },
      options: preflight("preflightTaskMove", "CORS preflight of a task's move", ["invalid_path"]),
    },
    "/api/{userId}/settings": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "getSettings",
        tags: ["Settings"],
        summary: "Get the user's settings",
        security: BEARER,
        responses: {
          200: apiResponse("The settings.", jsonSchemaOf(SettingsJson, "output")),
          ...errorResponses([...TOKEN_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      patch: {
        operationId: "updateSettings",
        tags: ["Settings"],
        summary: "Change the user's settings",
        description: "`time_zone` is stored under the name the server files it (`utc` becomes `UTC`).",
        security: BEARER,
        requestBody: requestBody("SettingsPatch", "The settings to change."),
        responses: {
          200: apiResponse("The settings, changed.", jsonSchemaOf(SettingsJson, "output")),
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightSettings", "CORS preflight of the settings", ["invalid_path"]),
    },
    "/api/health": {
      get: {
        operationId: "getHealth",
        tags: ["Service"],
        summary: "Health check",
        description: "For load balancers: 200 while the database answers within 3 s, else 503. Never cached.",
        security: [],
        responses: {
          200: {
            description: "The service and its database are up.",
            headers: { ...COMMON_HEADERS, "Cache-Control": ref("headers", "NoStore") },
            content: json({
              type: "object",
              properties: { status: { const: "ok" }, database: { const: "ok" } },
              required: ["status", "database"],
              additionalProperties: false,
            }),
          },
          ...errorResponses(SERVER_ERRORS, "service"),
        },
      },
      options: preflight("preflightHealth", "CORS preflight of the health check", []),
    },
    "/api/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        tags: ["Service"],
        summary: "This document",
        description: "The OpenAPI 3.1 description of the API, generated from the schemas that validate requests.",
        security: [],
        responses: {
          200: {
            description: "An OpenAPI 3.1 document.",
            headers: {
              ...COMMON_HEADERS,
              "Cache-Control": {
                description: "Cached for 5 minutes.",
                required: true,
                schema: { type: "string", const: "public, max-age=300" },
              },
            },
            content: json({
              type: "object",
              required: ["openapi", "info", "paths"],
              properties: {
                openapi: { type: "string", pattern: "^3\\.1\\." },
                info: { type: "object" },
                paths: { type: "object" },
              },
            }),
          },
          ...errorResponses(["internal_error"], "service"),
        },
      },
      options: preflight("preflightOpenApiDocument", "CORS preflight of this document", []),
    },
  };
}
