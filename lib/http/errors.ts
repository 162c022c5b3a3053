import { ERROR_STATUS, type ErrorBody, type ErrorCode, type FieldProblem } from "./error-body";

export { ERROR_STATUS, type ErrorBody, type ErrorCode, type FieldProblem };

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

export const invalidCursor = () =>
  new ApiError(
    "invalid_cursor",
    "The cursor is not one this list gave out for these parameters; start again without a cursor.",
  );

/** The database cannot be reached: a 503 the client may retry after a few seconds. */
export const serviceUnavailable = (detail = "The database is unavailable; try again shortly.") =>
  new ApiError("service_unavailable", detail, { headers: { "Retry-After": "5" } });
