import { log } from "../log";
import { isDatabaseUnavailable } from "./database-errors";
import { ApiError, serviceUnavailable } from "./errors";

export function json(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, init);
}

export function noContent(headers?: HeadersInit): Response {
  return new Response(null, { status: 204, headers });
}

/** 304 for a conditional GET whose `If-None-Match` matched: no body, and the current validator. */
export function notModified(headers?: HeadersInit): Response {
  return new Response(null, { status: 304, headers });
}

function logFailure(level: "warn" | "error", requestId: string, request: Request | undefined, error: unknown): void {
  log(level, level === "warn" ? "database unavailable" : "internal error", {
    request_id: requestId,
    ...(request ? { method: request.method, path: new URL(request.url).pathname } : {}),
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}

/**
 * Any failure as the ApiError the client gets: itself, a 503 when the database cannot be reached, else a 500 (the
 * cause logged with the request id, never returned).
 */
export function apiErrorOf(error: unknown, requestId: string, request?: Request): ApiError {
  if (error instanceof ApiError) return error;
  if (isDatabaseUnavailable(error)) {
    logFailure("warn", requestId, request, error);
    return serviceUnavailable();
  }
  logFailure("error", requestId, request, error);
  return new ApiError("internal_error", `Something went wrong on our side (request ${requestId}).`);
}

/** An ApiError as the `{error, detail}` response, with its status and headers. */
export function apiErrorResponse(apiError: ApiError): Response {
  return json(apiError.toBody(), { status: apiError.status, headers: apiError.headers });
}

/** Turns any failure into the `{error, detail}` response. */
export function errorResponse(error: unknown, requestId: string, request: Request): Response {
  return apiErrorResponse(apiErrorOf(error, requestId, request));
}
