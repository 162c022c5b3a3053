// The building blocks the document's paths share: error meanings and bodies, headers, references, preflights.

import type { z } from "zod";
import { MAX_BODY_BYTES } from "../http/body";
import { ALLOWED_REQUEST_HEADERS } from "../http/cors";
import { ERROR_STATUS, type ErrorCode } from "../http/error-body";
import { IMPORT_MAX_BYTES } from "../transfer/schema";
import { type JsonSchema, jsonSchemaOf } from "./json-schema";

/** An OpenAPI 3.1 object: plain JSON, checked against the OpenAPI 3.1 schema by tests/api/contract.test.ts. */
export type Json = { [key: string]: unknown };

/** When each stable error code is given. A new code in ERROR_STATUS does not compile until it is described here. */
export const ERROR_MEANING: Record<ErrorCode, string> = {
  invalid_json: "the body is not valid JSON (or not UTF-8)",
  invalid_cursor:
    "the cursor was not given out by this list for these parameters, or `since` is no token the change feed gave " +
    "out; start again without one",
  invalid_path: "the path is not valid percent-encoded UTF-8 (e.g. `%FF`)",
  invalid_request: "a header that may appear once (e.g. `Authorization`, `Content-Type`) appears more than once",
  invalid_idempotency_key: "the `Idempotency-Key` header is not 1–255 printable ASCII characters, or appears twice",
  idempotency_key_reused:
    "this `Idempotency-Key` was used in the last 24 hours for another request (another method, path or body)",
  idempotency_key_in_use: "a request with this `Idempotency-Key` is still running; retry after `Retry-After` seconds",
  not_applied: "in an atomic batch, this operation was not applied because another one failed",
  invalid_token:
    "no, malformed, expired, forged or foreign token, one whose session has ended, or a revoked or expired " +
    "personal access token (see `WWW-Authenticate`)",
  forbidden:
    "the path's `userId` is not the token's user, or a personal access token was sent where only a signed-in " +
    "user's JWT may act (managing tokens and webhooks)",
  insufficient_scope:
    "a personal access token without the scope this request needs: every method but GET and HEAD needs " +
    "`tasks:write` (see `WWW-Authenticate`)",
  not_found:
    "no such task, list, tag, token or webhook for this user (another user's, and an id that is no UUID, look the same)",
  method_not_allowed: "the path does not take this method (see `Allow`)",
  conflict:
    "the change would break a rule about other rows: a list or tag name the user already has (ignoring case), " +
    "a list that still holds tasks deleted without `tasks=move|delete`, or a list or webhook endpoint past the most " +
    "a user may have",
  resync_required:
    "the change feed no longer holds every event after `since` (they are kept for a limited time), or `since` is " +
    "ahead of the feed: take a new token without `since`, then re-read the tasks, lists and tags",
  precondition_failed:
    "`If-Match` names no version the task or list is at (a stale, weak or unknown tag); fetch it again",
  payload_too_large: `the body is over ${MAX_BODY_BYTES / 1024} KiB (an import's over ${IMPORT_MAX_BYTES / 1024 / 1024} MiB)`,
  unsupported_media_type:
    "the body is not declared as JSON (`Content-Type: application/json`), or for an import as JSON or `text/csv`",
  validation_error: "the body or the query string breaks a rule; `fields` names each problem",
  rate_limited: "too many requests; retry after `Retry-After` seconds (see the `RateLimit-*` headers)",
  internal_error: "a bug; the server log names the response's `X-Request-Id`",
  service_unavailable: "the database cannot be reached; retry after `Retry-After` seconds",
};

export const ref = (kind: "schemas" | "parameters" | "headers" | "responses", name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

export const json = (schema: JsonSchema | Json) => ({ "application/json": { schema } });

// Headers. A header given by `$ref` is always present: openapi-typescript (and readers) cannot see a `required`
// inside a referenced header, so optional headers are written inline, with `required: false`.

export const HEADERS = {
  XRequestId: {
    description: "Unique per response; the server log names it.",
    required: true,
    schema: { type: "string", format: "uuid" },
  },
  ETag: {
    description: "The task's or list's version, a strong entity tag that changes on every write.",
    required: true,
    schema: { type: "string", pattern: '^"[1-9][0-9]*"$', examples: ['"3"'] },
  },
  Location: {
    description: "The new task's or list's URL.",
    required: true,
    schema: { type: "string", format: "uri" },
  },
  WWWAuthenticate: {
    description: 'The Bearer challenge (RFC 6750), e.g. `Bearer realm="tasks", error="invalid_token", …`.',
    required: true,
    schema: { type: "string", pattern: "^Bearer\\b" },
  },
  RetryAfter: {
    description: "Seconds to wait before retrying.",
    required: true,
    schema: { type: "integer", minimum: 1 },
  },
  Allow: {
    description: "The methods the path takes, e.g. `GET, POST, HEAD, OPTIONS`.",
    required: true,
    schema: { type: "string", pattern: "^[A-Z]+(, [A-Z]+)*$" },
  },
  NoStore: { description: "Never cached.", required: true, schema: { type: "string", const: "no-store" } },
  RateLimitLimit: {
    description: "Requests allowed per window (draft-ietf-httpapi-ratelimit-headers).",
    required: true,
    schema: { type: "integer", minimum: 1 },
  },
  RateLimitRemaining: {
    description: "Requests left in the current window.",
    required: true,
    schema: { type: "integer", minimum: 0 },
  },
  RateLimitReset: {
    description: "Seconds until the window ends and the budget is full again.",
    required: true,
    schema: { type: "integer", minimum: 1 },
  },
  SessionCookie: {
    description:
      "The session cookie (`better-auth.session_token`; `__Secure-` prefixed in production), HttpOnly, SameSite=Lax.",
    required: true,
    schema: { type: "string" },
  },
} satisfies Record<string, Json & { required: boolean }>;

type HeaderName = keyof typeof HEADERS;

/** The same header, inline and not required, with a sentence on when it is there. */
const optional = (name: HeaderName, when: string) => ({
  ...HEADERS[name],
  description: `${HEADERS[name].description} ${when}`,
  required: false,
});

export const COMMON_HEADERS = { "X-Request-Id": ref("headers", "XRequestId") };

const RATE_LIMIT_WHEN = "Present once the token is verified, while the API's rate limit is on (the default).";

/** On every response of a route behind the token but a 429: the budget the request left, when there is one. */
export const API_RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": optional("RateLimitLimit", RATE_LIMIT_WHEN),
  "RateLimit-Remaining": optional("RateLimitRemaining", RATE_LIMIT_WHEN),
  "RateLimit-Reset": optional("RateLimitReset", RATE_LIMIT_WHEN),
};

export const RATE_LIMITED_HEADERS = {
  "Retry-After": ref("headers", "RetryAfter"),
  "RateLimit-Limit": ref("headers", "RateLimitLimit"),
  "RateLimit-Remaining": ref("headers", "RateLimitRemaining"),
  "RateLimit-Reset": ref("headers", "RateLimitReset"),
};

/** Headers each error status carries, besides `X-Request-Id`. */
const ERROR_HEADERS: Partial<Record<number, Json>> = {
  401: { "WWW-Authenticate": ref("headers", "WWWAuthenticate") },
  429: RATE_LIMITED_HEADERS,
  503: { "Retry-After": ref("headers", "RetryAfter") },
};

// Error bodies: every status's schema is `Error` narrowed to the codes that status carries on that operation.

export function errorBody(codes: readonly ErrorCode[]): Json {
  const validation = codes.includes("validation_error");
  const alone = validation && codes.length === 1;
  // `fields` comes with validation_error only: required with it, absent with any other code of the same status.
  const fieldsRule =
    validation && !alone
      ? [
          {
            if: { properties: { error: { const: "validation_error" } } },
            // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's keyword, not a promise.
            then: { required: ["fields"] },
            else: { properties: { fields: false } },
          },
        ]
      : [];
  return {
    allOf: [
      ref("schemas", "Error"),
      {
        type: "object",
        properties: { error: { type: "string", enum: [...codes] }, ...(validation ? {} : { fields: false }) },
        required: alone ? ["error", "fields"] : ["error"],
      },
      ...fieldsRule,
    ],
  };
}

export type Family = "api" | "auth" | "service";

/** One response per status the codes map to (via ERROR_STATUS), each allowing exactly those codes. */
export function errorResponses(codes: ErrorCode[], family: Family): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const responses: Record<string, Json> = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: statusCodes.map((code) => `\`${code}\`: ${ERROR_MEANING[code]}.`).join(" "),
      headers: {
        ...COMMON_HEADERS,
        ...(family === "api" && status !== 429 ? API_RATE_LIMIT_HEADERS : {}),
        ...(family === "auth" ? { "Cache-Control": ref("headers", "NoStore") } : {}),
        ...ERROR_HEADERS[status],
      },
      content: json(errorBody(statusCodes)),
    };
  }
  responses[405] = ref("responses", "MethodNotAllowed");
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

export const TOKEN_ERRORS: ErrorCode[] = [
  "invalid_path",
  "invalid_request",
  "invalid_token",
  "forbidden",
  "rate_limited",
];
export const SERVER_ERRORS: ErrorCode[] = ["internal_error", "service_unavailable"];
export const BODY_ERRORS: ErrorCode[] = [
  "invalid_json",
  "payload_too_large",
  "unsupported_media_type",
  "validation_error",
];

/** What a write under `If-Match` to one task or list can refuse. */
export const VERSIONED_WRITE_ERRORS: ErrorCode[] = [
  ...TOKEN_ERRORS,
  ...BODY_ERRORS,
  "not_found",
  "precondition_failed",
  ...SERVER_ERRORS,
];

/** A success of a route behind the token: the headers each one carries, and its JSON body when it has one. */
export function apiResponse(description: string, body?: JsonSchema | Json): Json {
  return {
    description,
    headers: { ...COMMON_HEADERS, ...API_RATE_LIMIT_HEADERS },
    ...(body === undefined ? {} : { content: json(body) }),
  };
}

/** A task or list (the component of that name) with its version as the `ETag`. */
export function versionedResponse(schemaName: string, description: string, headers: Json = {}): Json {
  return {
    description,
    headers: { ...COMMON_HEADERS, ETag: ref("headers", "ETag"), ...headers, ...API_RATE_LIMIT_HEADERS },
    content: json(ref("schemas", schemaName)),
  };
}

/** The 304 of a GET whose `If-None-Match` names the current version. */
export function notModifiedResponse(kind: "task" | "list"): Json {
  return {
    description: `\`If-None-Match\` names the ${kind}'s current version: no body.`,
    headers: { ...COMMON_HEADERS, ETag: ref("headers", "ETag"), ...API_RATE_LIMIT_HEADERS },
  };
}

export const BEARER = [{ bearerAuth: [] }];
/**
 * What only a signed-in user may do (manage tokens and webhooks): the JWT alone, a personal token is a 403, so a
 * leaked token cannot make more tokens or send the account's events elsewhere. Not BEARER, so withPersonalTokens
 * leaves it as it is.
 */
export const SIGNED_IN = [{ bearerAuth: [] }];

const BODY_RULES =
  `JSON of at most ${MAX_BODY_BYTES / 1024} KiB, read as UTF-8 whatever a \`charset\` parameter says; ` +
  "`application/json` or any `application/*+json` type. Fields other than these are refused (422).";

/** A required JSON request body, the component of that name, with the rules every body is read by. */
export function requestBody(schemaName: string, description: string): Json {
  return { required: true, description: `${description} ${BODY_RULES}`, content: json(ref("schemas", schemaName)) };
}

/** One query parameter per property of a query-string schema, its description lifted out of the schema. */
export function queryParameters(schema: z.ZodType): Json[] {
  const query = jsonSchemaOf(schema, "input");
  const required = new Set(query.required ?? []);
  return Object.entries(query.properties ?? {}).map(([name, property]) => {
    const { description, ...schema } = property as JsonSchema;
    return { name, in: "query", required: required.has(name), description, schema };
  });
}

/** The CORS preflight of a path: what a browser sends before a cross-origin request, answered without a token. */
export function preflight(operationId: string, summary: string, errors: ErrorCode[]): Json {
  const corsHeader = (description: string) => ({
    description: `${description} Only for an \`Origin\` listed in CORS_ORIGINS.`,
    required: false,
    schema: { type: "string" },
  });
  return {
    operationId,
    tags: ["CORS"],
    summary,
    description:
      "No token needed. `Allow` lists the path's methods; for an `Origin` the server is configured to trust " +
      "(CORS_ORIGINS) the `Access-Control-*` headers allow them, otherwise they are left out and the browser " +
      "refuses the cross-origin request.",
    security: [],
    responses: {
      204: {
        description: "No body.",
        headers: {
          ...COMMON_HEADERS,
          Allow: ref("headers", "Allow"),
          Vary: { description: "Includes `Origin`.", required: true, schema: { type: "string" } },
          "Access-Control-Allow-Origin": corsHeader("The request's `Origin`."),
          "Access-Control-Allow-Methods": corsHeader("Same as `Allow`."),
          "Access-Control-Allow-Headers": corsHeader(`\`${ALLOWED_REQUEST_HEADERS}\`.`),
          "Access-Control-Max-Age": {
            description: "Seconds a browser may keep this answer. Only for an `Origin` listed in CORS_ORIGINS.",
            required: false,
            schema: { type: "integer", minimum: 0 },
          },
          "Access-Control-Expose-Headers": corsHeader("The response headers a page may read."),
        },
      },
      ...errorResponses([...errors, "internal_error"], "service"),
    },
  };
}
