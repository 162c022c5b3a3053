import packageJson from "../../package.json" with { type: "json" };
import { NAME_MAX_CHARS } from "../auth/credential-rules";
import { MAX_BODY_BYTES } from "../http/body";
import { ERROR_STATUS, ErrorBody, type ErrorCode } from "../http/error-body";
import { once } from "../once";
import { AUTH_POLICIES, type AuthPolicyName, SIGN_IN_BACKOFF } from "../rate-limit/limits";
import {
  TaskCreateInput,
  TaskId,
  TaskJson,
  TaskListQuery,
  TaskPatchInput,
  TaskReplaceInput,
  TaskSummaryJson,
} from "../tasks/schema";
import { type JsonSchema, jsonSchemaOf, NO_NUL_PATTERN } from "./json-schema";

/** An OpenAPI 3.1 object: plain JSON, checked against the OpenAPI 3.1 schema by tests/api/contract.test.ts. */
type Json = { [key: string]: unknown };

/** When each stable error code is given. A new code in ERROR_STATUS does not compile until it is described here. */
const ERROR_MEANING: Record<ErrorCode, string> = {
  invalid_json: "the body is not valid JSON (or not UTF-8)",
  invalid_cursor: "the cursor was not given out by this list for these parameters; start again without one",
  invalid_path: "the path is not valid percent-encoded UTF-8 (e.g. `%FF`)",
  invalid_request: "a header that may appear once (e.g. `Authorization`, `Content-Type`) appears more than once",
  invalid_token:
    "no, malformed, expired, forged or foreign token, or one whose session has ended (see `WWW-Authenticate`)",
  forbidden: "the path's `userId` is not the token's user",
  not_found: "no such task for this user (another user's task, and an id that is no UUID, look the same)",
  method_not_allowed: "the path does not take this method (see `Allow`)",
  precondition_failed: "`If-Match` names no version the task is at (a stale, weak or unknown tag); fetch it again",
  payload_too_large: `the body is over ${MAX_BODY_BYTES / 1024} KiB`,
  unsupported_media_type: "the body is not declared as JSON (`Content-Type: application/json`)",
  validation_error: "the body or the query string breaks a rule; `fields` names each problem",
  rate_limited: "too many requests; retry after `Retry-After` seconds (see the `RateLimit-*` headers)",
  internal_error: "a bug; the server log names the response's `X-Request-Id`",
  service_unavailable: "the database cannot be reached; retry after `Retry-After` seconds",
};

const ref = (kind: "schemas" | "parameters" | "headers" | "responses", name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

const json = (schema: JsonSchema | Json) => ({ "application/json": { schema } });

// Headers. A header given by `$ref` is always present: openapi-typescript (and readers) cannot see a `required`
// inside a referenced header, so optional headers are written inline, with `required: false`.

const HEADERS = {
  XRequestId: {
    description: "Unique per response; the server log names it.",
    required: true,
    schema: { type: "string", format: "uuid" },
  },
  ETag: {
    description: "The task's version, a strong entity tag that changes on every write.",
    required: true,
    schema: { type: "string", pattern: '^"[1-9][0-9]*"$', examples: ['"3"'] },
  },
  Location: { description: "The new task's URL.", required: true, schema: { type: "string", format: "uri" } },
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

const COMMON_HEADERS = { "X-Request-Id": ref("headers", "XRequestId") };

const RATE_LIMIT_WHEN = "Present once the token is verified, while the API's rate limit is on (the default).";

/** On every task-route response but a 429: the budget the request left, when there is one. */
const TASK_RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": optional("RateLimitLimit", RATE_LIMIT_WHEN),
  "RateLimit-Remaining": optional("RateLimitRemaining", RATE_LIMIT_WHEN),
  "RateLimit-Reset": optional("RateLimitReset", RATE_LIMIT_WHEN),
};

const RATE_LIMITED_HEADERS = {
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

function errorBody(codes: readonly ErrorCode[]): Json {
  const validation = codes.includes("validation_error");
  return {
    allOf: [
      ref("schemas", "Error"),
      {
        type: "object",
        properties: { error: { type: "string", enum: [...codes] }, ...(validation ? {} : { fields: false }) },
        required: validation ? ["error", "fields"] : ["error"],
      },
    ],
  };
}

type Family = "task" | "auth" | "service";

/** One response per status the codes map to (via ERROR_STATUS), each allowing exactly those codes. */
function errorResponses(codes: ErrorCode[], family: Family): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const responses: Record<string, Json> = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: statusCodes.map((code) => `\`${code}\`: ${ERROR_MEANING[code]}.`).join(" "),
      headers: {
        ...COMMON_HEADERS,
        ...(family === "task" && status !== 429 ? TASK_RATE_LIMIT_HEADERS : {}),
        ...(family === "auth" ? { "Cache-Control": ref("headers", "NoStore") } : {}),
        ...ERROR_HEADERS[status],
      },
      content: json(errorBody(statusCodes)),
    };
  }
  responses[405] = ref("responses", "MethodNotAllowed");
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

const TOKEN_ERRORS: ErrorCode[] = ["invalid_path", "invalid_request", "invalid_token", "forbidden", "rate_limited"];
const SERVER_ERRORS: ErrorCode[] = ["internal_error", "service_unavailable"];
const BODY_ERRORS: ErrorCode[] = ["invalid_json", "payload_too_large", "unsupported_media_type", "validation_error"];

const taskResponse = (description: string, headers: Json = {}) => ({
  description,
  headers: { ...COMMON_HEADERS, ETag: ref("headers", "ETag"), ...headers, ...TASK_RATE_LIMIT_HEADERS },
  content: json(ref("schemas", "Task")),
});

const BEARER = [{ bearerAuth: [] }];
const TASK_TAG = ["Tasks"];

const BODY_RULES =
  `JSON of at most ${MAX_BODY_BYTES / 1024} KiB, read as UTF-8 whatever a \`charset\` parameter says; ` +
  "`application/json` or any `application/*+json` type. Fields other than these are refused (422).";

function taskBody(schemaName: string, description: string) {
  return { required: true, description: `${description} ${BODY_RULES}`, content: json(ref("schemas", schemaName)) };
}

function listQueryParameters(): Json[] {
  const query = jsonSchemaOf(TaskListQuery, "input");
  const required = new Set(query.required ?? []);
  return Object.entries(query.properties ?? {}).map(([name, property]) => {
    const { description, ...schema } = property as JsonSchema;
    return { name, in: "query", required: required.has(name), description, schema };
  });
}

/** The CORS preflight of a path: what a browser sends before a cross-origin request, answered without a token. */
function preflight(operationId: string, summary: string, errors: ErrorCode[]): Json {
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
          "Access-Control-Allow-Headers": corsHeader("`Authorization, Content-Type, If-Match, If-None-Match`."),
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

function paths(): Json {
  const taskPathParameters = [ref("parameters", "UserId"), ref("parameters", "TaskId")];
  return {
    "/api/{userId}/tasks": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "listTasks",
        tags: TASK_TAG,
        summary: "List tasks",
        description:
          'One page of the user\'s tasks (default: newest first). When more follow, `Link: <…>; rel="next"` ' +
          "(RFC 8288) is the absolute URL of the next page with the same parameters; the last page has none. " +
          "Unknown query parameters are ignored; a repeated one counts once (its last value).",
        security: BEARER,
        parameters: listQueryParameters(),
        responses: {
          200: {
            description: "A page of tasks: a JSON array (possibly empty).",
            headers: {
              ...COMMON_HEADERS,
              Link: {
                description:
                  'The next page, when there is one: `<https://…/api/{userId}/tasks?…&cursor=…>; rel="next"`. ' +
                  "The last page has none.",
                required: false,
                schema: { type: "string", pattern: '^<[^>]+>; rel="next"$' },
              },
              ...TASK_RATE_LIMIT_HEADERS,
            },
            content: json({ type: "array", items: ref("schemas", "Task") }),
          },
          ...errorResponses([...TOKEN_ERRORS, "invalid_cursor", "validation_error", ...SERVER_ERRORS], "task"),
        },
      },
      post: {
        operationId: "createTask",
        tags: TASK_TAG,
        summary: "Create a task",
        security: BEARER,
        requestBody: taskBody("TaskCreate", "`description` defaults to null and `completed` to false."),
        responses: {
          201: taskResponse("The new task.", { Location: ref("headers", "Location") }),
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, ...SERVER_ERRORS], "task"),
        },
      },
      options: preflight("preflightTasks", "CORS preflight of the task list", ["invalid_path"]),
    },
    "/api/{userId}/tasks/summary": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "getTaskSummary",
        tags: TASK_TAG,
        summary: "Count tasks",
        description: "How many tasks the user has: all, not yet completed, and completed.",
        security: BEARER,
        responses: {
          200: {
            description: "The counts.",
            headers: { ...COMMON_HEADERS, ...TASK_RATE_LIMIT_HEADERS },
            content: json(jsonSchemaOf(TaskSummaryJson, "output")),
          },
          ...errorResponses([...TOKEN_ERRORS, ...SERVER_ERRORS], "task"),
        },
      },
      options: preflight("preflightTaskSummary", "CORS preflight of the task counts", ["invalid_path"]),
    },
    "/api/{userId}/tasks/{taskId}": {
      parameters: taskPathParameters,
      get: {
        operationId: "getTask",
        tags: TASK_TAG,
        summary: "Get a task",
        security: BEARER,
        parameters: [ref("parameters", "IfNoneMatch")],
        responses: {
          200: taskResponse("The task."),
          304: {
            description: "`If-None-Match` names the task's current version: no body.",
            headers: { ...COMMON_HEADERS, ETag: ref("headers", "ETag"), ...TASK_RATE_LIMIT_HEADERS },
          },
          ...errorResponses([...TOKEN_ERRORS, "not_found", ...SERVER_ERRORS], "task"),
        },
      },
      put: {
        operationId: "replaceTask",
        tags: TASK_TAG,
        summary: "Replace a task",
        description: "All three fields are required (`description` may be null).",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch")],
        requestBody: taskBody("TaskReplace", "The task's new content."),
        responses: {
          200: taskResponse("The replaced task."),
          ...errorResponses(
            [...TOKEN_ERRORS, ...BODY_ERRORS, "not_found", "precondition_failed", ...SERVER_ERRORS],
            "task",
          ),
        },
      },
      patch: {
        operationId: "updateTask",
        tags: TASK_TAG,
        summary: "Update some fields of a task",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch")],
        requestBody: taskBody("TaskPatch", "Any non-empty subset of `title`, `description`, `completed`."),
        responses: {
          200: taskResponse("The updated task."),
          ...errorResponses(
            [...TOKEN_ERRORS, ...BODY_ERRORS, "not_found", "precondition_failed", ...SERVER_ERRORS],
            "task",
          ),
        },
      },
      delete: {
        operationId: "deleteTask",
        tags: TASK_TAG,
        summary: "Delete a task",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch")],
        responses: {
          204: { description: "Deleted: no body.", headers: { ...COMMON_HEADERS, ...TASK_RATE_LIMIT_HEADERS } },
          ...errorResponses([...TOKEN_ERRORS, "not_found", "precondition_failed", ...SERVER_ERRORS], "task"),
        },
      },
      options: preflight("preflightTask", "CORS preflight of a task", ["invalid_path"]),
    },
    "/api/health": {
      get: {
        operationId: "getHealth",
        tags: ["Service"],
        summary: "Health check",
        description: "For load balancers: 200 while the database answers within 3 s, else 503. Never cached.",
        security: [],
        responses: {
          200: {
            description: "The service and its database are up.",
            headers: { ...COMMON_HEADERS, "Cache-Control": ref("headers", "NoStore") },
            content: json({
              type: "object",
              properties: { status: { const: "ok" }, database: { const: "ok" } },
              required: ["status", "database"],
              additionalProperties: false,
            }),
          },
          ...errorResponses(SERVER_ERRORS, "service"),
        },
      },
      options: preflight("preflightHealth", "CORS preflight of the health check", []),
    },
    "/api/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        tags: ["Service"],
        summary: "This document",
        description: "The OpenAPI 3.1 description of the API, generated from the schemas that validate requests.",
        security: [],
        responses: {
          200: {
            description: "An OpenAPI 3.1 document.",
            headers: {
              ...COMMON_HEADERS,
              "Cache-Control": {
                description: "Cached for 5 minutes.",
                required: true,
                schema: { type: "string", const: "public, max-age=300" },
              },
            },
            content: json({
              type: "object",
              required: ["openapi", "info", "paths"],
              properties: {
                openapi: { type: "string", pattern: "^3\\.1\\." },
                info: { type: "object" },
                paths: { type: "object" },
              },
            }),
          },
          ...errorResponses(["internal_error"], "service"),
        },
      },
      options: preflight("preflightOpenApiDocument", "CORS preflight of this document", []),
    },
    ...authPaths(),
  };
}

// Better Auth's endpoints (app/api/auth/[...all], through lib/auth/route.ts): those a program needs for a token and
// a session. Better Auth's own refusals have its `{code, message}` body (`AuthError`); the auth route's (unknown
// path, method, size, rate limit, outage) have the API's `Error` body.

const authErrorResponse = (description: string) => ({
  description: `Better Auth refuses; \`code\` is one of: ${description}`,
  headers: { ...COMMON_HEADERS, "Cache-Control": ref("headers", "NoStore") },
  content: json(ref("schemas", "AuthError")),
});

const MEDIA_TYPE_REFUSED = authErrorResponse(
  "`UNSUPPORTED_MEDIA_TYPE` (no `Content-Type`, or one Better Auth does not read for this endpoint).",
);

const ORIGIN_REFUSED = authErrorResponse(
  "`MISSING_OR_NULL_ORIGIN` or `INVALID_ORIGIN` (a request that carries cookies, or `Sec-Fetch-*` headers, must " +
    "come from an origin in CORS_ORIGINS), `CROSS_SITE_NAVIGATION_LOGIN_BLOCKED`, `INVALID_CALLBACK_URL` " +
    "(`callbackURL` is neither a relative path nor on a trusted origin).",
);

function policyText(name: AuthPolicyName): string {
  const { limit, windowMs } = AUTH_POLICIES[name];
  const window = windowMs >= 3_600_000 ? `${windowMs / 3_600_000} h` : `${windowMs / 60_000} min`;
  return `${limit} per ${window}`;
}

/** The auth route's own errors on an auth operation, in the API's `Error` body; `rateLimit` says which limits. */
function authRouteErrors(rateLimit: string, { body = false } = {}): Record<string, Json> {
  const responses = errorResponses([...(body ? (["payload_too_large"] as const) : []), ...SERVER_ERRORS], "auth");
  responses[429] = {
    description: `\`rate_limited\`: ${rateLimit}. Retry after \`Retry-After\` seconds.`,
    headers: { ...COMMON_HEADERS, ...RATE_LIMITED_HEADERS },
    content: json(errorBody(["rate_limited"])),
  };
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

const authOk = (description: string, schema: Json, headers: Json = {}) => ({
  description,
  headers: { ...COMMON_HEADERS, "Cache-Control": ref("headers", "NoStore"), ...headers },
  content: json(schema),
});

const authBody = (schemaName: string) => ({
  required: true,
  description:
    `JSON (or an HTML form, \`application/x-www-form-urlencoded\`) of at most ${MAX_BODY_BYTES / 1024} KiB. ` +
    "Other fields are ignored.",
  content: {
    "application/json": { schema: ref("schemas", schemaName) },
    "application/x-www-form-urlencoded": { schema: ref("schemas", schemaName) },
  },
});

/** Each auth path's CORS preflight, answered by the auth route. */
function withPreflights(paths: Record<string, Json>): Json {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => {
      const name = path.replace("/api/auth/", "").replace(/(^|[-/])(\w)/g, (_, _sep, c: string) => c.toUpperCase());
      return [path, { ...item, options: preflight(`preflightAuth${name}`, `CORS preflight of ${path}`, []) }];
    }),
  );
}

function authPaths(): Json {
  return withPreflights(betterAuthPaths());
}

function betterAuthPaths(): Record<string, Json> {
  const authTag = ["Authentication"];
  const signedIn = "Signed in: the session cookie is set. `token` here is the session token, not an API token.";
  const other = `${policyText("otherAuthPerAddress")} per client address`;
  return {
    "/api/auth/sign-up/email": {
      post: {
        operationId: "signUpEmail",
        tags: authTag,
        summary: "Sign up with email and password",
        description: "Better Auth. Creates the account and signs in (sets the session cookie).",
        security: [],
        requestBody: authBody("SignUp"),
        responses: {
          200: authOk(
            signedIn,
            {
              type: "object",
              required: ["token", "user"],
              properties: { token: { type: ["string", "null"] }, user: ref("schemas", "AuthUser") },
            },
            { "Set-Cookie": ref("headers", "SessionCookie") },
          ),
          400: authErrorResponse(
            "`VALIDATION_ERROR` (a field missing or of the wrong type, a malformed email), `INVALID_EMAIL`, " +
              "`INVALID_PASSWORD`, `PASSWORD_TOO_SHORT`, `PASSWORD_TOO_LONG`, `NAME_TOO_LONG` (a name over " +
              `${NAME_MAX_CHARS} characters), \`INVALID_NAME\` (a name with a NUL character or a lone surrogate), ` +
              "`BAD_REQUEST` (the body is not valid JSON).",
          ),
          403: ORIGIN_REFUSED,
          415: MEDIA_TYPE_REFUSED,
          422: authErrorResponse(
            "`USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL` (emails are compared case-insensitively), " +
              "`FAILED_TO_CREATE_USER` (the user could not be stored).",
          ),
          ...authRouteErrors(
            `sign-ups are limited to ${policyText("signUpPerAddress")} per client address and ` +
              `${policyText("signUpPerAccount")} per email`,
            { body: true },
          ),
        },
      },
    },
    "/api/auth/sign-in/email": {
      post: {
        operationId: "signInEmail",
        tags: authTag,
        summary: "Sign in with email and password",
        description: "Better Auth. Sets the session cookie.",
        security: [],
        requestBody: authBody("SignIn"),
        responses: {
          200: authOk(
            signedIn,
            {
              type: "object",
              required: ["redirect", "token", "user"],
              properties: {
                redirect: { type: "boolean", description: "True when `callbackURL` was given." },
                token: { type: "string" },
                url: { type: "string", description: "The `callbackURL`, when one was given." },
                user: ref("schemas", "AuthUser"),
              },
            },
            {
              "Set-Cookie": ref("headers", "SessionCookie"),
              Location: {
                description: "The `callbackURL`, when one was given.",
                required: false,
                schema: { type: "string" },
              },
            },
          ),
          400: authErrorResponse(
            "`VALIDATION_ERROR` (a field missing or of the wrong type), `INVALID_EMAIL`, `PASSWORD_TOO_LONG`, " +
              "`BAD_REQUEST` (the body is not valid JSON).",
          ),
          401: authErrorResponse(
            "`INVALID_EMAIL_OR_PASSWORD` (the same for an unknown email), `FAILED_TO_CREATE_SESSION`.",
          ),
          403: ORIGIN_REFUSED,
          415: MEDIA_TYPE_REFUSED,
          ...authRouteErrors(
            `sign-ins are limited to ${policyText("signInPerAddress")} per client address and ` +
              `${policyText("signInPerAccount")} per email; after ${SIGN_IN_BACKOFF.freeFailures} failures in a row ` +
              `an account waits ${SIGN_IN_BACKOFF.firstWaitMs / 1000} s, then twice as long after each further ` +
              `failure (at most ${SIGN_IN_BACKOFF.maxWaitMs / 60_000} min), whatever address the attempt comes from`,
            { body: true },
          ),
        },
      },
    },
    "/api/auth/token": {
      get: {
        operationId: "getToken",
        tags: authTag,
        summary: "Get an API token",
        description:
          "Better Auth's JWT plugin. Exchanges the session cookie for a task-API token: an EdDSA JWT whose `sub` " +
          "is the user id, valid 15 minutes, and only as long as its session. Fetch a new one when it expires.",
        security: [{ sessionCookie: [] }],
        responses: {
          200: authOk("The token.", {
            type: "object",
            required: ["token"],
            properties: { token: { type: "string", pattern: "^[\\w-]+\\.[\\w-]+\\.[\\w-]+$" } },
          }),
          401: authErrorResponse("`UNAUTHORIZED` (no valid session cookie)."),
          ...authRouteErrors(
            `tokens are limited to ${policyText("tokenPerAddress")} per client address and ` +
              `${policyText("tokenPerAccount")} per user`,
          ),
        },
      },
    },
    "/api/auth/get-session": (() => {
      const session = authOk("The session, or null.", {
        anyOf: [
          { type: "null" },
          {
            type: "object",
            required: ["session", "user"],
            properties: {
              session: {
                type: "object",
                required: ["id", "userId", "expiresAt"],
                properties: {
                  id: { type: "string" },
                  userId: { type: "string" },
                  expiresAt: { type: "string", format: "date-time" },
                },
              },
              user: ref("schemas", "AuthUser"),
            },
          },
        ],
      });
      const description = "Better Auth. The session and user of the session cookie, or `null` without a valid one.";
      return {
        get: {
          operationId: "getSession",
          tags: authTag,
          summary: "The current session",
          description,
          security: [{ sessionCookie: [] }, {}],
          responses: { 200: session, ...authRouteErrors(other) },
        },
      };
    })(),
    "/api/auth/sign-out": {
      post: {
        operationId: "signOut",
        tags: authTag,
        summary: "Sign out",
        description:
          "Better Auth. Ends the session of the cookie (and so every API token issued for it) and clears the cookie.",
        security: [{ sessionCookie: [] }, {}],
        requestBody: {
          required: true,
          description: "A JSON object, usually `{}`; an empty body is refused (400).",
          content: json({ type: "object" }),
        },
        responses: {
          200: authOk(
            "Signed out (also when there was no session).",
            { type: "object", required: ["success"], properties: { success: { type: "boolean" } } },
            {
              "Set-Cookie": {
                description: "Clears the session cookies.",
                required: false,
                schema: { type: "string" },
              },
            },
          ),
          400: authErrorResponse("`BAD_REQUEST` (the body is not valid JSON), `VALIDATION_ERROR` (not an object)."),
          403: ORIGIN_REFUSED,
          415: MEDIA_TYPE_REFUSED,
          ...authRouteErrors(other, { body: true }),
        },
      },
    },
    "/api/auth/jwks": {
      get: {
        operationId: "getJwks",
        tags: authTag,
        summary: "Token signing keys",
        description: "Better Auth's JWT plugin: the public keys (JWK Set, RFC 7517) that verify API tokens.",
        security: [],
        responses: {
          200: authOk("The JWK Set.", {
            type: "object",
            required: ["keys"],
            properties: {
              keys: {
                type: "array",
                items: {
                  type: "object",
                  required: ["kty", "kid"],
                  properties: {
                    kty: { type: "string", examples: ["OKP"] },
                    kid: { type: "string" },
                    alg: { type: "string", examples: ["EdDSA"] },
                    crv: { type: "string", examples: ["Ed25519"] },
                    x: { type: "string" },
                  },
                },
              },
            },
          }),
          ...authRouteErrors(other),
        },
      },
    },
  };
}

const AuthUser = {
  type: "object",
  required: ["id", "email", "name", "emailVerified", "image", "createdAt", "updatedAt"],
  properties: {
    id: { type: "string", description: "The `userId` of the task paths." },
    email: { type: "string", format: "email", description: "Lower-cased." },
    name: { type: "string" },
    emailVerified: { type: "boolean" },
    image: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const callbackURL = {
  type: "string",
  description: "Where a browser goes next: a relative path, or a URL on an origin in CORS_ORIGINS (else 403).",
};

function components(): Json {
  return {
    schemas: {
      Task: { ...jsonSchemaOf(TaskJson, "output"), description: "A task, as every task route returns it." },
      TaskCreate: jsonSchemaOf(TaskCreateInput, "input"),
      TaskReplace: jsonSchemaOf(TaskReplaceInput, "input"),
      TaskPatch: jsonSchemaOf(TaskPatchInput, "input"),
      Error: {
        ...jsonSchemaOf(ErrorBody, "output"),
        description:
          "The body of every error the API itself writes (task, health and auth routes). Each response narrows " +
          "`error` to the codes of its status; `fields` comes with 422 only.",
      },
      AuthError: {
        type: "object",
        required: ["message"],
        properties: {
          code: {
            type: "string",
            description: "Better Auth's error code, e.g. `INVALID_EMAIL_OR_PASSWORD`; present on every refusal here.",
          },
          message: { type: "string", description: "A sentence for people; may change." },
        },
        description: "The body of Better Auth's own refusals (its contract, not the API's `Error`).",
      },
      AuthUser,
      SignUp: {
        type: "object",
        required: ["name", "email", "password"],
        properties: {
          name: {
            type: "string",
            maxLength: NAME_MAX_CHARS,
            pattern: NO_NUL_PATTERN,
            description:
              `Up to ${NAME_MAX_CHARS} characters (code points); no NUL characters (422). Lone surrogates are ` +
              "stored as U+FFFD.",
            examples: ["Ada"],
          },
          email: { type: "string", format: "email", examples: ["ada@example.com"] },
          password: {
            type: "string",
            minLength: 8,
            maxLength: 128,
            description:
              "8–128 characters, counted in UTF-16 code units as JavaScript does (an emoji counts 2), which " +
              "`minLength` and `maxLength` count as code points.",
            examples: ["a long passphrase"],
          },
          image: { type: "string", description: "A picture URL for the profile." },
          callbackURL,
          rememberMe: { type: "boolean", default: true, description: "False: the cookie ends with the browser." },
        },
      },
      SignIn: {
        type: "object",
        required: ["email", "password"],
        properties: {
          email: { type: "string", format: "email" },
          password: { type: "string", maxLength: 128, description: "At most 128 UTF-16 code units." },
          callbackURL,
          rememberMe: { type: "boolean", default: true, description: "False: the cookie ends with the browser." },
        },
      },
    },
    parameters: {
      UserId: {
        name: "userId",
        in: "path",
        required: true,
        description:
          "Your user id (`user.id` from sign-up, sign-in or `GET /api/auth/get-session`). Another id is a 403.",
        schema: { type: "string", minLength: 1 },
      },
      TaskId: {
        name: "taskId",
        in: "path",
        required: true,
        description:
          "The task's `id`. Anything that is not a task of yours, a string that is no UUID included, is a 404.",
        schema: jsonSchemaOf(TaskId, "input"),
      },
      IfMatch: {
        name: "If-Match",
        in: "header",
        required: false,
        description:
          'Change only if the task is still at one of these versions: its `ETag` (e.g. `"3"`; a list such as ' +
          '`"3", "4"` is read as RFC 9110 says), or `*` for any. Comparison is strong: a weak tag (`W/"3"`) or one ' +
          "this server never issued matches nothing. Otherwise 412 `precondition_failed` and nothing changes. " +
          "Without it the last write wins.",
        schema: { type: "string" },
      },
      IfNoneMatch: {
        name: "If-None-Match",
        in: "header",
        required: false,
        description: "A 304 without a body while the task is at one of these `ETag`s (or for `*`).",
        schema: { type: "string" },
      },
    },
    headers: HEADERS,
    responses: {
      MethodNotAllowed: {
        description:
          "For any method the path does not list, not for this one (HEAD is answered wherever GET is; TRACE and " +
          `methods like COPY are refused). ${ERROR_MEANING.method_not_allowed}.`,
        headers: { ...COMMON_HEADERS, Allow: ref("headers", "Allow") },
        content: json(errorBody(["method_not_allowed"])),
      },
    },
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description:
          "A Better Auth JWT (EdDSA, 15 minutes). Sign up at `POST /api/auth/sign-up/email` or sign in at " +
          "`POST /api/auth/sign-in/email` (both set a session cookie), then `GET /api/auth/token` with that cookie " +
          "returns `{token}`. Send `Authorization: Bearer <token>`; the path's `userId` must be the token's user.",
      },
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "better-auth.session_token",
        description: "The Better Auth session cookie set by sign-up or sign-in (`__Secure-` prefixed in production).",
      },
    },
  };
}

const DESCRIPTION = `A task list for people and a REST API for the programs they use. Every user sees only their own tasks.

**Getting a token.** Sign up (\`POST /api/auth/sign-up/email\`) or sign in (\`POST /api/auth/sign-in/email\`); keep the
session cookie; \`GET /api/auth/token\` with it returns an API token valid 15 minutes. Send it as
\`Authorization: Bearer <token>\` to the task routes, whose \`{userId}\` is your user id.

**Errors** of the API have one body, \`Error\`: \`{error, detail, fields?}\`, where \`error\` is a stable code,
\`detail\` a sentence for people, and a 422 lists each field's problem in \`fields\`. Better Auth's own refusals on
\`/api/auth/*\` keep its \`AuthError\` body, \`{code, message}\`. Every response carries \`X-Request-Id\`.

**Methods.** Each path answers the methods it lists, HEAD wherever it lists GET (GET's status and headers, no body),
and OPTIONS (the CORS preflight). Any other method (TRACE, WebDAV's COPY or LOCK…) is a 405 \`method_not_allowed\`
whose \`Allow\` lists the path's methods; what is not HTTP/1.1 at all (an unknown method token such as TRACK, a
header that may appear once sent twice) is a 400 \`invalid_request\`.

**Paths** are matched as written: a trailing slash, an empty segment or a dot segment (\`.\`, \`..\`, \`%2E\`) is
redirected (308) to the normalized path, a path that is not valid percent-encoded UTF-8 is a 400 \`invalid_path\`, and
a path not listed here is not part of the API (404).

**Rate limits.** Task requests are limited per user (by default 300 a minute; the \`RateLimit-*\` headers on each
answer give the budget, a 429 \`rate_limited\` with \`Retry-After\` comes past it); sign-up, sign-in and token
requests per client address and per account.

**Concurrency.** Each task has an \`ETag\`; send it back in \`If-Match\` to change a task only if nobody else has, or in
\`If-None-Match\` to get a 304 while it is unchanged.

**What JSON Schema cannot say** (trimming before a length is counted, lone surrogates, the range of
\`updated_since\`) is said in the description of the field it applies to.`;

function buildDocument(): Json {
  return {
    openapi: "3.1.1",
    info: {
      title: "Tasks API",
      version: packageJson.version,
      description: DESCRIPTION,
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Tasks", description: "A user's tasks. Bearer token required." },
      {
        name: "Authentication",
        description:
          "Better Auth endpoints that get you a session and an API token. Better Auth has more endpoints under " +
          "`/api/auth/` than these; a path it does not have is a 404 `not_found` in the `Error` body.",
      },
      { name: "Service", description: "Health and this description." },
      { name: "CORS", description: "Preflight answers, for browsers on another origin." },
    ],
    paths: paths(),
    components: components(),
  };
}

/** The OpenAPI 3.1 document of the API, built once from the zod schemas that validate requests. */
export const openApiDocument = once(buildDocument);
