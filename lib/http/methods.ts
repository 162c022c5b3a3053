import { preflightResponse } from "./cors";
import { ApiError } from "./errors";
import { REFUSED_METHOD_HEADER } from "./start-script-headers";

export function methodNotAllowed(method: string, allow: string): ApiError {
  return new ApiError("method_not_allowed", `${method} is not allowed here; use ${allow}.`, {
    headers: { Allow: allow },
  });
}

/** The `Allow` of a path that takes these methods: HEAD wherever GET is, and OPTIONS everywhere. */
export function allowHeader(methods: Iterable<string>): string {
  const listed = [...methods];
  return [...listed, ...(listed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
}

/** An OPTIONS request: the CORS preflight, or the 405 of a method the start script refused (see its header). */
export function answerOptions(request: Request, allow: string): Response {
  const refused = request.headers.get(REFUSED_METHOD_HEADER);
  if (refused) throw methodNotAllowed(refused, allow);
  return preflightResponse(request, allow);
}
