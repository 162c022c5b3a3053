import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import { env } from "../env";
import { log } from "../log";
import { rateLimitHeaders } from "../rate-limit/limits";
import { afterApiResponse } from "../webhooks/dispatcher";
import { applyCors } from "./cors";
import { allowHeader, answerOptions, methodNotAllowed } from "./methods";
import { type RequestContext, runInRequestContext } from "./request-context";
import { errorResponse } from "./respond";
import { REFUSED_METHOD_HEADER } from "./start-script-headers";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

type Handler<Params> = (request: Request, params: Params) => Promise<Response>;
type NextRouteHandler<Params> = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;

/** Sets a header; a response whose headers are immutable (e.g. a `Response.redirect`) is copied first. */
export function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}

/**
 * Runs one API request: a request id, any failure turned into the `{error, detail}` body, CORS, the rate-limit
 * headers the request earned, and one log line (request id, route, status, duration, user; never a token or body).
 * `route` is the path template, e.g. `/api/{userId}/tasks`.
 */
export async function handleApiRequest(
  request: Request,
  route: string,
  run: (context: RequestContext) => Promise<Response>,
): Promise<Response> {
  const context: RequestContext = { requestId: randomUUID(), startedAt: performance.now() };
  let response: Response;
  try {
    response = await runInRequestContext(context, () => run(context));
  } catch (error) {
    response = errorResponse(error, context.requestId, request);
  }
  response = withHeader(response, "X-Request-Id", context.requestId);
  if (context.rateLimit) {
    for (const [name, value] of Object.entries(rateLimitHeaders(context.rateLimit))) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
  }
  applyCors(request, response.headers);
  // With tracing on (instrumentation.ts), Next's span for this request carries the request id and the user, and
  // the log line names the trace: an X-Request-Id leads to both.
  const span = trace.getActiveSpan();
  span?.setAttributes({ "taskapp.request_id": context.requestId, "enduser.id": context.userId ?? "" });
  if (env().REQUEST_LOG === "on") {
    log("info", "request", {
      request_id: context.requestId,
      trace_id: span?.spanContext().traceId,
      method: request.headers.get(REFUSED_METHOD_HEADER) ?? request.method,
      route,
      path: new URL(request.url).pathname,
      status: response.status,
      duration_ms: Math.round((performance.now() - context.startedAt) * 10) / 10,
      user_id: context.userId ?? null,
    });
  }
  return response;
}

/**
 * Builds every export of a route file: the given methods, 405 with `Allow` for the others (TRACE included,
 * see lib/http/start-script-headers.ts), and the CORS preflight. Every response goes through handleApiRequest.
 */
export function defineRoute<Params = Record<string, never>>(
  route: string,
  handlers: Partial<Record<Method, Handler<Params>>>,
): Record<Method | "OPTIONS", NextRouteHandler<Params>> {
  const supported = METHODS.filter((method) => handlers[method]);
  const allow = allowHeader(supported);

  const wrap =
    (method: Method): NextRouteHandler<Params> =>
    (request, context) =>
      handleApiRequest(request, route, async () => {
        const handler = handlers[method];
        if (!handler) throw methodNotAllowed(method, allow);
        const response = await handler(request, await context.params);
        // A write may have recorded webhook deliveries (the feed's trigger does, at its commit): send them now.
        afterApiResponse({ wrote: method !== "GET" && response.ok });
        return response;
      });

  const options: NextRouteHandler<Params> = (request) =>
    handleApiRequest(request, route, async () => answerOptions(request, allow));

  return {
    GET: wrap("GET"),
    POST: wrap("POST"),
    PUT: wrap("PUT"),
    PATCH: wrap("PATCH"),
    DELETE: wrap("DELETE"),
    OPTIONS: options,
  };
}
