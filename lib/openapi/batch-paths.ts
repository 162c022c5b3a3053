// `POST /api/{userId}/tasks/batch`: many task operations in one request (lib/tasks/batch.ts).
import type { z } from "zod";
import { ErrorBody } from "../http/error-body";
import { BATCH_MAX_BODY_BYTES, BATCH_MAX_OPERATIONS, BatchRequest, BatchResponse } from "../tasks/batch-schema";
import { TaskCreateInput, TaskJson, TaskPatchInput } from "../tasks/schema";
import { IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY_PARAMETER, REPLAYED_HEADERS } from "./idempotency";
import { jsonSchemaOf } from "./json-schema";
import {
  API_RATE_LIMIT_HEADERS,
  BEARER,
  BODY_ERRORS,
  COMMON_HEADERS,
  errorResponses,
  type Json,
  json,
  preflight,
  ref,
  SERVER_ERRORS,
  TOKEN_ERRORS,
} from "./parts";

export function batchSchemas(): Json {
  const bodies = new Map<z.ZodType, string>([
    [TaskCreateInput, "TaskCreate"],
    [TaskPatchInput, "TaskPatch"],
  ]);
  const answers = new Map<z.ZodType, string>([
    [TaskJson, "Task"],
    [ErrorBody, "Error"],
  ]);
  return {
    TaskBatch: jsonSchemaOf(BatchRequest, "input", bodies),
    TaskBatchResults: jsonSchemaOf(BatchResponse, "output", answers),
  };
}

const DESCRIPTION =
  `Up to ${BATCH_MAX_OPERATIONS} task operations — \`create\` (as \`POST …/tasks\`), \`update\` (as \`PATCH …/tasks/{id}\`, ` +
  "with `if_match` as its `If-Match`) and `delete` (as `DELETE …/tasks/{id}`) — applied one after another in the " +
  "order sent, each by the same rules as its own route. The answer is a 200 with one result per operation, in " +
  "order: `{status, body?, error?}`, the status and body (or error) that route would have answered (201, 200, 204, " +
  "404, 412, 422…). Another user's task is a 404 of that operation.\n\n" +
  "Without `atomic` (or `atomic: false`), each operation commits on its own, as its own request would: a refused " +
  "one changes nothing, the others apply. With `atomic: true` they run in one transaction: if any fails, nothing " +
  "is written, that operation's result says why, and every other result is a 424 `not_applied` (every invalid " +
  "body is reported at once, before anything runs; otherwise the first failure stops the batch).\n\n" +
  "A batch that is not one (`operations` not an array of 1–100 operations, an unknown `op`, an `update` or " +
  "`delete` without an `id`, unknown fields) is refused whole with a 422 and nothing is done. A batch counts as " +
  "one request per operation against the rate limit: when the budget cannot cover all of them it is a 429 and " +
  "none runs.";

export function batchPaths(): Json {
  return {
    "/api/{userId}/tasks/batch": {
      parameters: [ref("parameters", "UserId")],
      post: {
        operationId: "batchTasks",
        tags: ["Tasks"],
        summary: "Create, update and delete many tasks",
        description: DESCRIPTION,
        security: BEARER,
        parameters: [IDEMPOTENCY_KEY_PARAMETER],
        requestBody: {
          required: true,
          description:
            `The operations. JSON of at most ${Math.floor(BATCH_MAX_BODY_BYTES / 1024)} KiB (room for ` +
            `${BATCH_MAX_OPERATIONS} operations of the largest tasks), read as UTF-8; \`application/json\` or any ` +
            "`application/*+json` type.",
          content: json(ref("schemas", "TaskBatch")),
        },
        responses: {
          200: {
            description: "One result per operation, in the order sent.",
            headers: { ...COMMON_HEADERS, ...REPLAYED_HEADERS, ...API_RATE_LIMIT_HEADERS },
            content: json(ref("schemas", "TaskBatchResults")),
          },
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, ...IDEMPOTENCY_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightTaskBatch", "CORS preflight of the task batch", ["invalid_path"]),
    },
  };
}
