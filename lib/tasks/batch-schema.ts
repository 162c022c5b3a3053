// `POST /api/{userId}/tasks/batch`: up to 100 task operations, answered one result each (docs/decisions/0020).
import { z } from "zod";
import { MAX_BODY_BYTES } from "../http/body";
import { ErrorBody } from "../http/error-body";
import { TaskCreateInput, TaskJson, TaskPatchInput } from "./schema";

export const BATCH_MAX_OPERATIONS = 100;
/** Room for 100 operations each carrying the largest body a single-task request may (64 KiB), and their framing. */
export const BATCH_MAX_BODY_BYTES = BATCH_MAX_OPERATIONS * (MAX_BODY_BYTES + 1024);

const OperationTaskId = z
  .string({ error: "id must be a task's id" })
  .meta({ description: "The task's id; another user's task, or an id that is no UUID, is a 404 of this operation." });

const IfMatch = z.string({ error: 'if_match must be an ETag such as "3", or *' }).meta({
  description: 'What the `If-Match` header would carry: the task\'s ETag (`"3"`), several, or `*`.',
  examples: ['"3"'],
});

const OPERATION_KINDS = "op must be one of create, update, delete";

/** The three operations, with each body checked by `create` and `patch` (the task routes' schemas, or anything). */
function operations<Create extends z.ZodType, Patch extends z.ZodType>(create: Create, patch: Patch) {
  return z.discriminatedUnion(
    "op",
    [
      z.strictObject({ op: z.literal("create"), body: create }).meta({ description: "As `POST …/tasks`." }),
      z
        .strictObject({ op: z.literal("update"), id: OperationTaskId, body: patch, if_match: IfMatch.optional() })
        .meta({ description: "As `PATCH …/tasks/{id}`, with `if_match` as its `If-Match`." }),
      z
        .strictObject({ op: z.literal("delete"), id: OperationTaskId, if_match: IfMatch.optional() })
        .meta({ description: "As `DELETE …/tasks/{id}`, with `if_match` as its `If-Match`." }),
    ],
    { error: OPERATION_KINDS },
  );
}

/** One operation, its body checked as the single-task route checks it (a failure is that operation's 422). */
export const BatchOperation = operations(TaskCreateInput, TaskPatchInput);
/** What executeBatch takes: an operation as a client writes it, before its body is checked. */
export type BatchOperation = z.input<typeof BatchOperation>;
export type ValidBatchOperation = z.output<typeof BatchOperation>;

const batchRequest = <Operation extends z.ZodType>(operation: Operation) =>
  z.strictObject({
    operations: z
      .array(operation, { error: "operations must be an array of operations" })
      .min(1, `operations must hold 1 to ${BATCH_MAX_OPERATIONS} operations`)
      .max(BATCH_MAX_OPERATIONS, `operations must hold 1 to ${BATCH_MAX_OPERATIONS} operations`),
    atomic: z
      .boolean({ error: "atomic must be true or false" })
      .default(false)
      .meta({ description: "true: all the operations apply, or none (one transaction)." }),
  });

/** The batch as documented: each operation with its body's schema. */
export const BatchRequest = batchRequest(BatchOperation);

/**
 * The batch as the route first reads it: its shape (an array of 1–100 operations, each a known `op` with its `id`),
 * a failure of which refuses the whole batch; each body is checked later, as its own operation.
 */
const BatchOperationShape = operations(z.unknown(), z.unknown());
export const BatchRequestShape = batchRequest(BatchOperationShape);
/** An operation whose shape is known, its body not yet checked: what executeBatch takes (a BatchOperation is one). */
export type UncheckedBatchOperation = z.output<typeof BatchOperationShape>;

export const BatchResult = z.object({
  status: z
    .number()
    .int()
    .meta({
      description:
        "What the single-task route would have answered: 201, 200, 204, 404, 412, 422…; 424 `not_applied` in an " +
        "atomic batch that another operation failed.",
    }),
  body: TaskJson.optional().meta({ description: "The task, after a create (201) or an update (200)." }),
  error: ErrorBody.optional().meta({ description: "Why the operation failed (status 400 and above)." }),
});

export type BatchResult = z.infer<typeof BatchResult>;

export const BatchResponse = z.object({
  results: z.array(BatchResult).meta({ description: "One result per operation, in the order they were sent." }),
});

export type BatchResponse = z.infer<typeof BatchResponse>;
