// The Better Auth routes a program needs for a token and a session, as lib/auth/route.ts serves them.
import { NAME_MAX_CHARS } from "../auth/credential-rules";
import { MAX_BODY_BYTES } from "../http/body";
import { AUTH_POLICIES, type AuthPolicyName, SIGN_IN_BACKOFF } from "../rate-limit/limits";
import {
  COMMON_HEADERS,
  errorBody,
  errorResponses,
  type Json,
  json,
  preflight,
  RATE_LIMITED_HEADERS,
  ref,
  SERVER_ERRORS,
} from "./parts";

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

export function authPaths(): Json {
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

export const AuthUser = {
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

export const callbackURL = {
  type: "string",
  description: "Where a browser goes next: a relative path, or a URL on an origin in CORS_ORIGINS (else 403).",
};
