import "server-only";
import { decodeJwt } from "jose";
import { readBodyBytes } from "../http/body";
import { CLIENT_ADDRESS_HEADER, type ClientAddress, clientAddress } from "../http/client-address";
import { ApiError } from "../http/errors";
import { allowHeader, answerOptions, methodNotAllowed } from "../http/methods";
import { requestContext } from "../http/request-context";
import { handleApiRequest, withHeader } from "../http/route";
import { once } from "../once";
import { type AuthPolicyName, checkSignInBackoff, limitAuth, recordSignInOutcome } from "../rate-limit/limits";
import { databaseFailureDuring } from "./auth-database";
import { getAuth } from "./server";

const AUTH_BASE_PATH = "/api/auth";

type Endpoint = { pattern: RegExp; path: string; methods: Set<string> };
type RoutableEndpoint = {
  path?: string;
  options?: { method?: string | string[]; metadata?: { SERVER_ONLY?: boolean } };
};

/**
 * Methods Better Auth routes but never serves here: POST /get-session is for deferred session refreshes, which this
 * server does not use, so Better Auth would always refuse it with a 405 of its own, without `Allow`.
 */
const UNSERVED: Record<string, string[]> = { "/get-session": ["POST"] };

/** Better Auth's routable endpoints (its own table), so an unknown path is a 404 and a wrong method a 405. */
const endpoints = once((): Endpoint[] =>
  Object.values(getAuth().api as Record<string, RoutableEndpoint>).flatMap((endpoint) => {
    const { path, options } = endpoint;
    if (!path || options?.metadata?.SERVER_ONLY) return [];
    const unserved = UNSERVED[path] ?? [];
    const methods = new Set([options?.method ?? []].flat().filter((method) => !unserved.includes(method)));
    const pattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\/:\w+/g, "/[^/]+")}$`);
    return [{ pattern, path, methods }];
  }),
);

function endpointFor(path: string): Endpoint | undefined {
  return endpoints().find((endpoint) => endpoint.pattern.test(path));
}

/**
 * The `email` of a sign-in or sign-up body, for the per-account limits; Better Auth validates the rest. Better Auth
 * reads HTML forms as well as JSON, so both are read here: a form must not be a way around the back-off.
 */
function emailIn(request: Request, body: Uint8Array | undefined): string | undefined {
  if (!body) return undefined;
  const text = new TextDecoder().decode(body);
  let email: unknown;
  if (/^application\/x-www-form-urlencoded\b/i.test(request.headers.get("content-type") ?? "")) {
    email = new URLSearchParams(text).get("email");
  } else {
    try {
      email = (JSON.parse(text) as { email?: unknown } | null)?.email;
    } catch {
      return undefined;
    }
  }
  return typeof email === "string" ? email.trim().toLowerCase() : undefined;
}

/** The per-address limit of each path; every other path shares one. */
const ADDRESS_POLICY: Record<string, AuthPolicyName> = {
  "/sign-in/email": "signInPerAddress",
  "/sign-up/email": "signUpPerAddress",
  "/token": "tokenPerAddress",
};

/** What each path spends before Better Auth sees the request: per address, then per account. */
async function limitBefore(path: string, address: ClientAddress, email: string | undefined): Promise<void> {
  await limitAuth(ADDRESS_POLICY[path] ?? "otherAuthPerAddress", `address:${address.bucket}`);
  if (path === "/sign-in/email" && email) {
    // The back-off refuses without spending: an account that is waiting does not use up its attempts too.
    await checkSignInBackoff(email);
    await limitAuth("signInPerAccount", `email:${email}`);
  }
  if (path === "/sign-up/email" && email) await limitAuth("signUpPerAccount", `email:${email}`);
}

/** What each path learns from Better Auth's answer: the sign-in outcome, and whose token was minted. */
async function limitAfter(path: string, email: string | undefined, response: Response): Promise<void> {
  if (path === "/sign-in/email" && email && (response.status === 200 || response.status === 401)) {
    await recordSignInOutcome(email, response.status === 200);
  }
  if (path === "/token" && response.status === 200) {
    const { token } = (await response.clone().json()) as { token: string };
    const { sub } = decodeJwt(token);
    const context = requestContext();
    if (context && sub) context.userId = sub;
    await limitAuth("tokenPerAccount", `user:${sub}`);
  }
}

/** Better Auth's request, with the body already read and the client address from the trusted source only. */
function forwardedRequest(request: Request, method: string, body: Uint8Array | undefined, address: ClientAddress) {
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  if (address.ip) headers.set(CLIENT_ADDRESS_HEADER, address.ip);
  return new Request(request.url, { method, headers, body: body as BodyInit | undefined, signal: request.signal });
}

/**
 * Every request to /api/auth/*: 404 and 405 in the API's error format, the CORS preflight, bodies capped like the
 * task API's (413), limits per address and account (429), Better Auth's answer with `Cache-Control: no-store`, and a
 * 503 when the database is down. Better Auth's own refusals keep its `{code, message}` body.
 */
export async function handleAuthRequest(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname.slice(AUTH_BASE_PATH.length) || "/";
  const endpoint = endpointFor(path);
  const response = await handleApiRequest(request, `${AUTH_BASE_PATH}${endpoint?.path ?? "/*"}`, async (context) => {
    if (!endpoint) throw new ApiError("not_found", "There is no such authentication endpoint.");
    const allow = allowHeader(endpoint.methods);
    if (request.method === "OPTIONS") return answerOptions(request, allow);
    // HEAD is GET without a body (Next drops it); Better Auth routes only GET.
    const method = request.method === "HEAD" ? "GET" : request.method;
    if (!endpoint.methods.has(method)) throw methodNotAllowed(request.method, allow);
    const body = method === "GET" ? undefined : await readBodyBytes(request);
    const email = emailIn(request, body);
    const address = clientAddress(request.headers);
    await limitBefore(path, address, email);
    let response: Response;
    try {
      response = await getAuth().handler(forwardedRequest(request, method, body, address));
    } catch (error) {
      throw databaseFailureDuring(context) ?? error;
    }
    // Whatever Better Auth made of a database failure (see lib/auth/server.ts), the answer is a 503.
    const failure = databaseFailureDuring(context);
    if (failure) throw failure;
    await limitAfter(path, email, response);
    return response;
  });
  // Sessions, tokens and their refusals are never for a cache to keep.
  return withHeader(response, "Cache-Control", "no-store");
}
