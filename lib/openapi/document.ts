import { z } from "zod";
import packageJson from "../../package.json" with { type: "json" };
import { ERROR_STATUS, ErrorBody, type ErrorCode, FieldProblem } from "../http/error-body";
import { once } from "../once";
import {
  TaskCreateInput,
  TaskJson,
  TaskListQuery,
  TaskPatchInput,
  TaskReplaceInput,
  TaskSummaryJson,
} from "../tasks/schema";
import { annotate, type JsonSchema, jsonSchemaOf } from "./json-schema";

/** An OpenAPI 3.1 object: plain JSON, checked against the OpenAPI 3.1 schema by tests/api/contract.test.ts. */
type Json = { [key: string]: unknown };

/** When each stable error code is given. A new code in ERROR_STATUS does not compile until it is described here. */
const ERROR_MEANING: Record<ErrorCode, string> = {
  invalid_json: "the body is not valid JSON (or not UTF-8)",
  invalid_cursor: "the cursor was not given out by this list for these parameters; start again without one",
  invalid_path: "the path is not valid percent-encoded UTF-8",
  invalid_token: "no, malformed, expired, forged or foreign token (see `WWW-Authenticate`)",
  forbidden: "the path's `userId` is not the token's user",
  not_found: "no such task for this user (another user's task looks the same)",
  method_not_allowed: "the path does not take this method (see `Allow`)",
  precondition_failed: "`If-Match` names a version the task is no longer at; fetch it again",
  payload_too_large: "the body is over 64 KiB",
  unsupported_media_type: "the body is not declared as JSON (`Content-Type: application/json`)",
  validation_error: "the body or the query string breaks a rule; `fields` names each problem",
  rate_limited: "too many requests; retry after `Retry-After` seconds (see the `RateLimit-*` headers)",
  internal_error: "a bug; the server log names the response's `X-Request-Id`",
  service_unavailable: "the database cannot be reached; retry after `Retry-After` seconds",
};

/** The `{error, detail, fields?}` body of every error (lib/http/errors.ts), restricted to the given codes. */
function errorBodySchema(codes: readonly [ErrorCode, ...ErrorCode[]]) {
  const base = {
    error: annotate(z.enum(codes), { description: "Stable code, for programs." }),
    detail: annotate(z.string().min(1), { description: "A sentence for people; may change." }),
  };
  return codes.includes("validation_error")
    ? z.object({ ...base, fields: z.array(FieldProblem).min(1) })
    : z.object(base);
}

const HealthJson = z.object({ status: z.literal("ok"), database: z.literal("ok") });

const ref = (kind: "schemas" | "parameters" | "headers" | "responses", name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

const json = (schema: JsonSchema | Json) => ({ "application/json": { schema } });

const COMMON_HEADERS = { "X-Request-Id": ref("headers", "XRequestId") };

/** Headers each error status carries, besides `X-Request-Id`. */
const ERROR_HEADERS: Partial<Record<number, Json>> = {
  401: { "WWW-Authenticate": ref("headers", "WWWAuthenticate") },
  405: { Allow: ref("headers", "Allow") },
  429: {
    "Retry-After": ref("headers", "RetryAfter"),
    "RateLimit-Limit": ref("headers", "RateLimitLimit"),
    "RateLimit-Remaining": ref("headers", "RateLimitRemaining"),
    "RateLimit-Reset": ref("headers", "RateLimitReset"),
  },
  503: { "Retry-After": ref("headers", "RetryAfter") },
};

/** One response per status the codes map to (via ERROR_STATUS), each allowing exactly those codes. */
function errorResponses(codes: ErrorCode[]): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const responses: Record<string, Json> = {};
  for (const [status, [first, ...rest]] of [...byStatus].sort(([a], [b]) => a - b)) {
    if (!first) continue;
    const statusCodes = [first, ...rest] as const;
    responses[status] = {
      description: statusCodes.map((code) => `\`${code}\`: ${ERROR_MEANING[code]}.`).join(" "),
      headers: { ...COMMON_HEADERS, ...ERROR_HEADERS[status] },
      content: json(jsonSchemaOf(errorBodySchema(statusCodes), "output")),
    };
  }
  return responses;
}

const AUTH_ERRORS: ErrorCode[] = ["invalid_path", "invalid_token", "forbidden", "rate_limited"];
const SERVER_ERRORS: ErrorCode[] = ["internal_error", "service_unavailable"];
const BODY_ERRORS: ErrorCode[] = ["invalid_json", "payload_too_large", "unsupported_media_type", "validation_error"];

const taskResponse = (description: string, headers: Json = {}) => ({
  description,
  headers: { ...COMMON_HEADERS, ETag: ref("headers", "ETag"), ...headers },
  content: json(ref("schemas", "Task")),
});

const BEARER = [{ bearerAuth: [] }];
const TASK_TAG = ["Tasks"];

function taskBody(schemaName: string, description: string) {
  return { required: true, description, content: json(ref("schemas", schemaName)) };
}

function listQueryParameters(): Json[] {
  const query = jsonSchemaOf(TaskListQuery, "input");
  const required = new Set(query.required ?? []);
  return Object.entries(query.properties ?? {}).map(([name, property]) => {
    const { description, ...schema } = property as JsonSchema;
    return { name, in: "query", required: required.has(name), description, schema };
  });
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
          "Unknown query parameters are ignored.",
        security: BEARER,
        parameters: listQueryParameters(),
        responses: {
          200: {
            description: "A page of tasks: a JSON array (possibly empty).",
            headers: { ...COMMON_HEADERS, Link: ref("headers", "Link") },
            content: json({ type: "array", items: ref("schemas", "Task") }),
          },
          ...errorResponses([...AUTH_ERRORS, "invalid_cursor", "validation_error", ...SERVER_ERRORS]),
        },
      },
      post: {
        operationId: "createTask",
        tags: TASK_TAG,
        summary: "Create a task",
        description: "Request bodies are JSON of at most 64 KiB; fields other than these are refused (422).",
        security: BEARER,
        requestBody: taskBody("TaskCreate", "`description` defaults to null and `completed` to false."),
        responses: {
          201: taskResponse("The new task.", { Location: ref("headers", "Location") }),
          ...errorResponses([...AUTH_ERRORS, ...BODY_ERRORS, ...SERVER_ERRORS]),
        },
      },
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
            headers: COMMON_HEADERS,
            content: json(jsonSchemaOf(TaskSummaryJson, "output")),
          },
          ...errorResponses([...AUTH_ERRORS, ...SERVER_ERRORS]),
        },
      },
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
            headers: { ...COMMON_HEADERS, ETag: ref("headers", "ETag") },
          },
          ...errorResponses([...AUTH_ERRORS, "not_found", ...SERVER_ERRORS]),
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
          ...errorResponses([...AUTH_ERRORS, ...BODY_ERRORS, "not_found", "precondition_failed", ...SERVER_ERRORS]),
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
          ...errorResponses([...AUTH_ERRORS, ...BODY_ERRORS, "not_found", "precondition_failed", ...SERVER_ERRORS]),
        },
      },
      delete: {
        operationId: "deleteTask",
        tags: TASK_TAG,
        summary: "Delete a task",
        security: BEARER,
        parameters: [ref("parameters", "IfMatch")],
        responses: {
          204: { description: "Deleted: no body.", headers: COMMON_HEADERS },
          ...errorResponses([...AUTH_ERRORS, "not_found", "precondition_failed", ...SERVER_ERRORS]),
        },
      },
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
            content: json(jsonSchemaOf(HealthJson, "output")),
          },
          ...errorResponses(SERVER_ERRORS),
        },
      },
    },
    "/api/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        tags: ["Service"],
        summary: "This document",
        description: "The OpenAPI 3.1 description of the API, generated from the schemas that validate requests.",
        security: [],
        responses: {
          200: { description: "An OpenAPI 3.1 document.", headers: COMMON_HEADERS, content: json({ type: "object" }) },
          ...errorResponses(["internal_error"]),
        },
      },
    },
    ...authPaths(),
  };
}

// Better Auth's endpoints (app/api/auth/[...all]): only those a script needs for a token, described loosely
// (they are Better Auth's contract, not ours). Its errors are `{code?, message}` bodies.
const BETTER_AUTH_ERROR = json({
  type: "object",
  properties: { code: { type: "string" }, message: { type: "string" } },
});

const AuthUser = {
  type: "object",
  required: ["id", "email", "name"],
  properties: {
    id: { type: "string", description: "The `userId` of the task paths." },
    email: { type: "string", format: "email" },
    name: { type: "string" },
    emailVerified: { type: "boolean" },
    image: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const SESSION_COOKIE = {
  "Set-Cookie": {
    description: "The session cookie (`better-auth.session_token`, `__Secure-` prefixed over HTTPS), HttpOnly.",
    schema: { type: "string" },
  },
};

function authPaths(): Json {
  const authTag = ["Authentication"];
  const signedIn = {
    description: "Signed in: the session cookie is set. `token` here is the session token, not an API token.",
    headers: SESSION_COOKIE,
    content: json({
      type: "object",
      required: ["token", "user"],
      properties: { token: { type: ["string", "null"] }, user: AuthUser },
    }),
  };
  return {
    "/api/auth/sign-up/email": {
      post: {
        operationId: "signUpEmail",
        tags: authTag,
        summary: "Sign up with email and password",
        description: "Better Auth. Creates the account and signs in (sets the session cookie).",
        security: [],
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["name", "email", "password"],
            properties: {
              name: { type: "string", examples: ["Ada"] },
              email: { type: "string", format: "email", examples: ["ada@example.com"] },
              password: { type: "string", minLength: 8, maxLength: 128, examples: ["a long passphrase"] },
            },
          }),
        },
        responses: {
          200: signedIn,
          400: { description: "Invalid email, or password too short or too long.", content: BETTER_AUTH_ERROR },
          422: { description: "An account with this email exists.", content: BETTER_AUTH_ERROR },
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
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["email", "password"],
            properties: {
              email: { type: "string", format: "email" },
              password: { type: "string" },
              rememberMe: { type: "boolean", default: true },
            },
          }),
        },
        responses: {
          200: signedIn,
          401: { description: "Wrong email or password.", content: BETTER_AUTH_ERROR },
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
          "is the user id, valid 15 minutes. Fetch a new one when it expires.",
        security: [{ sessionCookie: [] }],
        responses: {
          200: {
            description: "The token.",
            content: json({ type: "object", required: ["token"], properties: { token: { type: "string" } } }),
          },
          401: { description: "No valid session cookie.", content: BETTER_AUTH_ERROR },
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
          200: {
            description: "The JWK Set.",
            content: json({
              type: "object",
              required: ["keys"],
              properties: {
                keys: {
                  type: "array",
                  items: { type: "object", required: ["kty", "kid"], properties: { kid: { type: "string" } } },
                },
              },
            }),
          },
        },
      },
    },
  };
}

function components(): Json {
  return {
    schemas: {
      Task: { ...jsonSchemaOf(TaskJson, "output"), description: "A task, as every task route returns it." },
      TaskCreate: jsonSchemaOf(TaskCreateInput, "input"),
      TaskReplace: jsonSchemaOf(TaskReplaceInput, "input"),
      TaskPatch: jsonSchemaOf(TaskPatchInput, "input"),
      Error: {
        ...jsonSchemaOf(ErrorBody, "output"),
        description: "The body of every error of the task API. `fields` comes with 422 only.",
      },
    },
    parameters: {
      UserId: {
        name: "userId",
        in: "path",
        required: true,
        description: "Your user id (`user.id` from sign-up, sign-in or `GET /api/auth/get-session`).",
        schema: { type: "string", minLength: 1 },
      },
      TaskId: {
        name: "taskId",
        in: "path",
        required: true,
        description: "The task's `id`. Anything that is not a task of yours is a 404.",
        schema: { type: "string", format: "uuid" },
      },
      IfMatch: {
        name: "If-Match",
        in: "header",
        required: false,
        description:
          'Change only if the task is still at this version: its `ETag` (e.g. `"3"`), or `*` for any. ' +
          "Otherwise 412 `precondition_failed` and nothing changes. Without it the last write wins.",
        schema: { type: "string" },
      },
      IfNoneMatch: {
        name: "If-None-Match",
        in: "header",
        required: false,
        description: "A 304 without a body while the task is still at this `ETag`.",
        schema: { type: "string" },
      },
    },
    headers: {
      XRequestId: {
        description: "Unique per response; the server log names it.",
        required: true,
        schema: { type: "string", format: "uuid" },
      },
      ETag: {
        description: "The task's version, a strong entity tag that changes on every write.",
        required: true,
        schema: { type: "string", pattern: '^"[^"]*"$', examples: ['"3"'] },
      },
      Link: {
        description: 'The next page, when there is one: `<https://…/api/{userId}/tasks?…&cursor=…>; rel="next"`.',
        required: false,
        schema: { type: "string", pattern: '^<[^>]+>; rel="next"$' },
      },
      Location: {
        description: "The new task's URL.",
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
        schema: { type: "integer", minimum: 0 },
      },
      Allow: {
        description: "The methods the path takes.",
        required: true,
        schema: { type: "string" },
      },
      NoStore: { description: "Never cached.", required: true, schema: { type: "string", const: "no-store" } },
      RateLimitLimit: {
        description: "Requests allowed per window for this user (draft-ietf-httpapi-ratelimit-headers).",
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
    },
    responses: {
      MethodNotAllowed: {
        description: `Any method a path does not list. ${ERROR_MEANING.method_not_allowed}.`,
        headers: { ...COMMON_HEADERS, Allow: ref("headers", "Allow") },
        content: json(jsonSchemaOf(errorBodySchema(["method_not_allowed"]), "output")),
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
        description: "The Better Auth session cookie set by sign-up or sign-in (`__Secure-` prefixed over HTTPS).",
      },
    },
  };
}

const DESCRIPTION = `A task list for people and a REST API for the programs they use. Every user sees only their own tasks.

**Getting a token.** Sign up (\`POST /api/auth/sign-up/email\`) or sign in (\`POST /api/auth/sign-in/email\`); keep the
session cookie; \`GET /api/auth/token\` with it returns an API token valid 15 minutes. Send it as
\`Authorization: Bearer <token>\` to the task routes, whose \`{userId}\` is your user id.

**Errors** have one body, \`{error, detail, fields?}\`: \`error\` is a stable code, \`detail\` a sentence for people,
and a 422 lists each field's problem in \`fields\`. Any method a path does not list answers 405
\`method_not_allowed\` with \`Allow\`. Every response of the task and health routes carries \`X-Request-Id\`.

**Concurrency.** Each task has an \`ETag\`; send it back in \`If-Match\` to change a task only if nobody else has, or in
\`If-None-Match\` to get a 304 while it is unchanged.`;

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
      { name: "Authentication", description: "Better Auth endpoints that get you an API token." },
      { name: "Service", description: "Health and this description." },
    ],
    paths: paths(),
    components: components(),
  };
}

/** The OpenAPI 3.1 document of the API, built once from the zod schemas that validate requests. */
export const openApiDocument = once(buildDocument);
