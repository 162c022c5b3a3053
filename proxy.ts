import { type NextRequest, NextResponse } from "next/server";
import { ApiError } from "./lib/http/errors";
import { methodNotAllowed } from "./lib/http/methods";
import { apiSecurityHeaders, createNonce, pageContentSecurityPolicy } from "./lib/http/security-headers";
import { REFUSED_METHOD_HEADER } from "./lib/http/start-script-headers";

/** What pages answer to; the API's routes have their own `Allow`. */
const PAGE_METHODS = "GET, HEAD";

function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** The API's `{error, detail}` response, with a request id and the headers of every API response. */
function errorResponse(error: ApiError): NextResponse {
  const response = NextResponse.json(error.toBody(), { status: error.status, headers: error.headers });
  for (const [name, value] of Object.entries(apiSecurityHeaders())) response.headers.set(name, value);
  response.headers.set("X-Request-Id", crypto.randomUUID());
  return response;
}

/**
 * Runs before every route but static files: refuses undecodable paths (Next would answer a plain-text 500) and
 * methods the start script refused, and gives each page a CSP with a fresh nonce. For the API it does nothing else:
 * next.config.ts sets the API's headers, and its routes answer refused methods themselves.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  if (!isDecodable(pathname)) {
    return errorResponse(new ApiError("invalid_path", "The path is not valid percent-encoded UTF-8."));
  }
  if (isApiPath(pathname)) return NextResponse.next();

  const refused = request.headers.get(REFUSED_METHOD_HEADER);
  if (refused !== null) {
    const method = /^[A-Za-z]{1,20}$/.test(refused) ? refused.toUpperCase() : "This method";
    return errorResponse(methodNotAllowed(method, PAGE_METHODS));
  }

  const nonce = createNonce();
  const policy = pageContentSecurityPolicy(nonce, {
    development: process.env.NODE_ENV === "development",
    // Scalar's API reference styles itself with inline styles. A client-side navigation keeps the policy of the page
    // it started on: link to /docs with a plain <a> (a full page load), never with <Link>.
    inlineStyles: pathname === "/docs",
  });
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders; x-nonce is for a server
  // component that renders a script of its own (`(await headers()).get("x-nonce")`).
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    // Pages: everything but the API, built assets and the icon (which keep the static headers of next.config.ts).
    "/((?!api(?:/|$)|_next/static/|_next/image|icon\\.svg$).*)",
    // The API only where a path has a percent sign, the one way to be undecodable: running the proxy costs every
    // request a NextRequest and a second pass through Next's routing, a measurable share of an API call.
    "/api/(.*%.*)",
  ],
};
