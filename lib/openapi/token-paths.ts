// The personal access token routes, and what personal tokens change on every other route: each operation that takes
// the JWT also takes a personal token with the scope its method needs (the rule lib/auth/bearer.ts enforces).
import type { ErrorCode } from "../http/error-body";
import {
  CreatedTokenJson,
  permissionFor,
  TOKEN_EXPIRY_MAX_DAYS,
  TOKEN_NAME_MAX_CHARS,
  TOKEN_PREFIX,
  TOKENS_PER_USER_MAX,
  TokenCreateInput,
  TokenId,
  TokenJson,
  TokenName,
} from "../tokens/schema";
import { annotate, jsonSchemaOf, TITLE_PATTERN } from "./json-schema";
import {
  API_RATE_LIMIT_HEADERS,
  apiResponse,
  BEARER,
  BODY_ERRORS,
  COMMON_HEADERS,
  ERROR_MEANING,
  errorResponses,
  HEADERS,
  type Json,
  json,
  preflight,
  ref,
  requestBody,
  SERVER_ERRORS,
  SIGNED_IN,
  TOKEN_ERRORS,
} from "./parts";

annotate(TokenName, {
  description:
    `What the token is for, e.g. "backup cron job": trimmed, then 1–${TOKEN_NAME_MAX_CHARS} characters (code ` +
    "points). No NUL characters, no lone surrogates.",
  minLength: 1,
  maxLength: TOKEN_NAME_MAX_CHARS,
  pattern: TITLE_PATTERN,
  examples: ["backup cron job"],
});

const TOKEN_TAG = ["Tokens"];
const ONE_TOKEN_ERRORS: ErrorCode[] = [...TOKEN_ERRORS, "not_found", ...SERVER_ERRORS];
const SIGNED_IN_ONLY =
  "Needs a signed-in user's JWT (`bearerAuth`); a personal access token is a 403 `forbidden`, so a leaked token " +
  "cannot make more.";

export function tokenSchemas(): Json {
  return {
    Token: { ...jsonSchemaOf(TokenJson, "output"), description: "A personal access token, without its secret." },
    CreatedToken: {
      ...jsonSchemaOf(CreatedTokenJson, "output"),
      description: "A new personal access token, with its secret: the only time it is shown.",
    },
    TokenCreate: jsonSchemaOf(TokenCreateInput, "input"),
  };
}

export function tokenParameters(): Json {
  return {
    TokenId: {
      name: "tokenId",
      in: "path",
      required: true,
      description: "The token's `id`. A revoked token, another user's, and an id that is no UUID are a 404.",
      schema: jsonSchemaOf(TokenId, "input"),
    },
  };
}

export function tokenSecuritySchemes(): Json {
  return {
    personalAccessToken: {
      type: "http",
      scheme: "bearer",
      bearerFormat: `${TOKEN_PREFIX}…`,
      description:
        `A personal access token (\`${TOKEN_PREFIX}\` and 49 characters), made in the settings page or by ` +
        "`POST /api/{userId}/tokens`, for scripts and cron jobs. Send `Authorization: Bearer <token>` like the JWT. " +
        "Each operation lists the scope it needs: `tasks:read` for GET and HEAD, `tasks:write` for every other " +
        "method (a read-only token there is a 403 `insufficient_scope`). Revoked or expired, it is a 401 at once.",
    },
  };
}

export function tokenPaths(): Json {
  return {
    "/api/{userId}/tokens": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "listPersonalTokens",
        tags: TOKEN_TAG,
        summary: "List the personal access tokens",
        description:
          `The user's tokens that are not revoked (at most ${TOKENS_PER_USER_MAX}), newest first, expired ones ` +
          `included; never their secrets. ${SIGNED_IN_ONLY}`,
        security: SIGNED_IN,
        responses: {
          200: apiResponse("The tokens: a JSON array (possibly empty).", {
            type: "array",
            maxItems: TOKENS_PER_USER_MAX,
            items: ref("schemas", "Token"),
          }),
          ...errorResponses([...TOKEN_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      post: {
        operationId: "createPersonalToken",
        tags: TOKEN_TAG,
        summary: "Create a personal access token",
        description:
          "Answers the token with its `secret`, shown this once (only its SHA-256 is stored). A user has at most " +
          `${TOKENS_PER_USER_MAX} unrevoked tokens: one more is a 409 \`conflict\`. An expiry is at most ` +
          `${TOKEN_EXPIRY_MAX_DAYS} days ahead. Takes no \`Idempotency-Key\` (a kept answer would keep the secret). ` +
          SIGNED_IN_ONLY,
        security: SIGNED_IN,
        requestBody: requestBody("TokenCreate", "The token's name, scope and expiry."),
        responses: {
          201: {
            description: "The new token and its secret.",
            headers: {
              ...COMMON_HEADERS,
              Location: ref("headers", "Location"),
              "Cache-Control": ref("headers", "NoStore"),
              ...API_RATE_LIMIT_HEADERS,
            },
            content: json(ref("schemas", "CreatedToken")),
          },
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, "conflict", ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightPersonalTokens", "CORS preflight of the tokens", ["invalid_path"]),
    },
    "/api/{userId}/tokens/{tokenId}": {
      parameters: [ref("parameters", "UserId"), ref("parameters", "TokenId")],
      get: {
        operationId: "getPersonalToken",
        tags: TOKEN_TAG,
        summary: "Get a personal access token",
        description: `The token, without its secret. ${SIGNED_IN_ONLY}`,
        security: SIGNED_IN,
        responses: {
          200: apiResponse("The token.", ref("schemas", "Token")),
          ...errorResponses(ONE_TOKEN_ERRORS, "api"),
        },
      },
      delete: {
        operationId: "revokePersonalToken",
        tags: TOKEN_TAG,
        summary: "Revoke a personal access token",
        description:
          "The token stops working on the next request, on every instance (a 401 `invalid_token` that says it was " +
          `revoked), and leaves the list. ${SIGNED_IN_ONLY}`,
        security: SIGNED_IN,
        responses: {
          204: apiResponse("Revoked: no body."),
          ...errorResponses(ONE_TOKEN_ERRORS, "api"),
        },
      },
      options: preflight("preflightPersonalToken", "CORS preflight of a token", ["invalid_path"]),
    },
  };
}

type Operation = { security?: unknown; responses?: Record<string, Json> };

/** A write's 403 may also be `insufficient_scope`, with a challenge naming the scope. */
function withInsufficientScope(forbidden: Json): Json {
  const content = forbidden.content as { "application/json": { schema: { allOf: [Json, Json] } } };
  const [error, narrowed] = content["application/json"].schema.allOf;
  const properties = narrowed.properties as { error: { enum: string[] } };
  return {
    ...forbidden,
    description: `${forbidden.description} \`insufficient_scope\`: ${ERROR_MEANING.insufficient_scope}.`,
    headers: {
      ...(forbidden.headers as Json),
      "WWW-Authenticate": {
        ...HEADERS.WWWAuthenticate,
        description:
          'With `insufficient_scope`: `Bearer realm="tasks", error="insufficient_scope", …, scope="tasks:write"`.',
        required: false,
      },
    },
    content: {
      "application/json": {
        schema: {
          allOf: [
            error,
            {
              ...narrowed,
              properties: {
                ...properties,
                error: { ...properties.error, enum: [...properties.error.enum, "insufficient_scope"] },
              },
            },
          ],
        },
      },
    },
  };
}

/**
 * Every operation that takes the JWT (`security: BEARER`) also takes a personal token with the scope its method
 * needs; a write's 403 then includes `insufficient_scope`. Derived here, from the rule the server applies, so that
 * no route can be left out.
 */
export function withPersonalTokens(paths: Json): Json {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item as Record<string, Operation>).map(([method, operation]) => {
          if (method === "parameters" || operation.security !== BEARER) return [method, operation];
          const permission = permissionFor(method.toUpperCase());
          const responses = operation.responses ?? {};
          const forbidden = responses["403"];
          return [
            method,
            {
              ...operation,
              security: [...BEARER, { personalAccessToken: [permission] }],
              responses:
                permission === "tasks:write" && forbidden
                  ? { ...responses, 403: withInsufficientScope(forbidden) }
                  : responses,
            },
          ];
        }),
      ),
    ]),
  );
}
