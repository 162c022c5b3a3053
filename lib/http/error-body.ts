// The `{error, detail, fields?}` body of every error the API writes: one zod schema for the server (lib/http/errors.ts
// takes its type from it), the OpenAPI document (lib/openapi/document.ts) and the browser client
// (lib/client/tasks-api.ts). Client-safe: no `server-only`, no Node imports.
import { z } from "zod";

/** Each stable error code and the HTTP status it is always given. */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_cursor: 400,
  invalid_path: 400,
  invalid_request: 400,
  // Idempotency-Key (lib/idempotency): a key that breaks the syntax, one reused for another request, one whose first
  // request is still running; and a batch operation that an atomic batch did not apply.
  invalid_idempotency_key: 400,
  idempotency_key_reused: 422,
  idempotency_key_in_use: 409,
  not_applied: 424,
  invalid_token: 401,
  forbidden: 403,
  // Personal access tokens (ADR 0019): a read-only token on a write.
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  resync_required: 410,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** One problem of a 422: which field (or query parameter) and what is wrong with it. */
export const FieldProblem = z.object({
  field: z.string().meta({ description: "The field or query parameter, e.g. `title`; `(body)` for the whole body." }),
  message: z.string().meta({ description: "A sentence for people; may change." }),
});

export type FieldProblem = z.infer<typeof FieldProblem>;

export const ErrorBody = z.object({
  error: z.enum(ERROR_CODES).meta({ description: "Stable code, for programs." }),
  detail: z.string().min(1).meta({ description: "A sentence for people; may change." }),
  fields: z
    .array(FieldProblem)
    .min(1)
    .optional()
    .meta({ description: "With `validation_error` (422) only: each field's problem." }),
});

export type ErrorBody = z.infer<typeof ErrorBody>;
