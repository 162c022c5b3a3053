export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_cursor: 400,
  invalid_path: 400,
  invalid_request: 400,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldProblem = { field: string; message: string };

export type ErrorBody = { error: ErrorCode; detail: string; fields?: FieldProblem[] };

/** The one error type the API throws; its code is stable and documented, its detail is for people. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { fields?: FieldProblem[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.code = code;
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return this.fields
      ? { error: this.code, detail: this.message, fields: this.fields }
      : { error: this.code, detail: this.message };
  }
}

export const taskNotFound = () => new ApiError("not_found", "No task with this id exists for this user.");

export const invalidCursor = () =>
  new ApiError(
    "invalid_cursor",
    "The cursor is not one this list gave out for these parameters; start again without a cursor.",
  );

export const preconditionFailed = () =>
  new ApiError("precondition_failed", "The task has changed since the ETag you sent in If-Match; fetch it again.");
