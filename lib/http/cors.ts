import { env } from "../env";

export const ALLOWED_REQUEST_HEADERS =
  "Authorization, Content-Type, If-Match, If-None-Match, Last-Event-ID, Idempotency-Key";
const EXPOSED_HEADERS =
  "Location, ETag, Link, WWW-Authenticate, X-Request-Id, Allow, Retry-After, RateLimit-Limit, RateLimit-Remaining, " +
  "RateLimit-Reset, Idempotent-Replayed";
const PREFLIGHT_MAX_AGE_SECONDS = "600";

function allowedOrigin(request: Request): string | undefined {
  const origin = request.headers.get("origin");
  return origin && env().CORS_ORIGINS.includes(origin) ? origin : undefined;
}

/** Adds CORS headers for a configured origin; other origins get nothing, so browsers block them. */
export function applyCors(request: Request, headers: Headers): void {
  if (!/\bOrigin\b/i.test(headers.get("Vary") ?? "")) headers.append("Vary", "Origin");
  const origin = allowedOrigin(request);
  if (!origin) return;
  headers.set("Access-Control-Allow-Origin", origin);
  headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
}

export function preflightResponse(request: Request, allow: string): Response {
  const headers = new Headers({ Allow: allow });
  applyCors(request, headers);
  if (headers.has("Access-Control-Allow-Origin")) {
    headers.set("Access-Control-Allow-Methods", allow);
    headers.set("Access-Control-Allow-Headers", ALLOWED_REQUEST_HEADERS);
    headers.set("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS);
  }
  return new Response(null, { status: 204, headers });
}
