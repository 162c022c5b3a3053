import { ApiError } from "./errors";

/**
 * scripts/start.ts turns TRACE (which the Fetch API cannot represent) into an OPTIONS request carrying the
 * original method in this header, after dropping any copy a client sent.
 */
export const REFUSED_METHOD_HEADER = "x-taskapp-refused-method";

export function methodNotAllowed(method: string, allow: string): ApiError {
  return new ApiError("method_not_allowed", `${method} is not allowed here; use ${allow}.`, {
    headers: { Allow: allow },
  });
}
