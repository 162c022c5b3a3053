import { applyCors, preflightResponse } from "./cors";
import { ApiError } from "./errors";
import { errorResponse } from "./respond";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

type Handler<Params> = (request: Request, params: Params) => Promise<Response>;
type NextRouteHandler<Params> = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;

function preflightHandler<Params>(allow: string): NextRouteHandler<Params> {
  return async (request) => {
    const response = preflightResponse(request, allow);
    response.headers.set("X-Request-Id", crypto.randomUUID());
    return response;
  };
}

/**
 * Builds every export of a route file: the given methods, 405 with `Allow` for the others, and the CORS
 * preflight. Each response carries a request id, and any failure becomes the `{error, detail}` body.
 */
export function defineRoute<Params = Record<string, never>>(
  handlers: Partial<Record<Method, Handler<Params>>>,
): Record<Method | "OPTIONS", NextRouteHandler<Params>> {
  const supported = METHODS.filter((method) => handlers[method]);
  const allow = [...supported, ...(handlers.GET ? ["HEAD"] : []), "OPTIONS"].join(", ");

  const wrap =
    (method: Method): NextRouteHandler<Params> =>
    async (request, context) => {
      const requestId = crypto.randomUUID();
      let response: Response;
      try {
        const handler = handlers[method];
        if (!handler) {
          throw new ApiError("method_not_allowed", `${method} is not allowed here; use ${allow}.`, {
            headers: { Allow: allow },
          });
        }
        response = await handler(request, await context.params);
      } catch (error) {
        response = errorResponse(error, requestId, request);
      }
      response.headers.set("X-Request-Id", requestId);
      applyCors(request, response.headers);
      return response;
    };

  return {
    GET: wrap("GET"),
    POST: wrap("POST"),
    PUT: wrap("PUT"),
    PATCH: wrap("PATCH"),
    DELETE: wrap("DELETE"),
    OPTIONS: preflightHandler(allow),
  };
}
