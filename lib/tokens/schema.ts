// Personal access tokens: the shapes of the token routes, for the handlers, the OpenAPI document, the settings page
// and its client. Client-safe: no `server-only`, no Node imports.
import { z } from "zod";
import { trimmedText } from "../text-schema";

export const TOKEN_NAME_MAX_CHARS = 100;
/** Unrevoked tokens per user (expired ones count until revoked): the list route returns them all in one array. */
export const TOKENS_PER_USER_MAX = 50;
/** The latest expiry a token may be given; without one it never expires. */
export const TOKEN_EXPIRY_MAX_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Every secret starts with this, so secret scanners (and people) can tell a leaked one. */
export const TOKEN_PREFIX = "tsk_pat_";

/** What a token may do: read tasks, lists, tags, settings and changes, or also change them. */
export const TOKEN_SCOPES = ["tasks:read", "tasks:read tasks:write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export type Permission = "tasks:read" | "tasks:write";

export const TokenScopeSchema = z.enum(TOKEN_SCOPES, {
  error: `scope must be one of ${TOKEN_SCOPES.map((scope) => `"${scope}"`).join(", ")}`,
});

export const grants = (scope: TokenScope, permission: Permission): boolean => scope.split(" ").includes(permission);

/** The permission a request needs: reads (GET, HEAD) need `tasks:read`, every other method `tasks:write`. */
export const permissionFor = (method: string): Permission =>
  method === "GET" || method === "HEAD" ? "tasks:read" : "tasks:write";

export const TokenId = z.uuid();

export const TokenName = trimmedText("name", TOKEN_NAME_MAX_CHARS);

/** `POST …/tokens`. */
export const TokenCreateInput = z.strictObject({
  name: TokenName,
  scope: TokenScopeSchema.meta({
    description: "`tasks:read`: every GET (and HEAD) of the API; `tasks:read tasks:write`: every route of it.",
  }),
  expires_at: z.iso
    .datetime({ offset: true, error: "expires_at must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z" })
    .refine((value) => Date.parse(value) > Date.now(), "expires_at must be in the future")
    .refine(
      (value) => Date.parse(value) <= Date.now() + TOKEN_EXPIRY_MAX_DAYS * DAY_MS,
      `expires_at must be at most ${TOKEN_EXPIRY_MAX_DAYS} days ahead`,
    )
    .nullable()
    .optional()
    .meta({
      description:
        `When the token stops working: in the future, at most ${TOKEN_EXPIRY_MAX_DAYS} days ahead. Absent or ` +
        "null: it works until revoked.",
    }),
});

export type TokenCreate = z.infer<typeof TokenCreateInput>;

export const TokenJson = z.object({
  id: z.uuid(),
  name: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  hint: z.string().meta({
    description: "The secret's prefix and last four characters (`tsk_pat_…a1B2`), to tell tokens apart.",
    examples: ["tsk_pat_…a1B2"],
  }),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime().nullable().meta({ description: "Null: it works until revoked." }),
  last_used_at: z.iso.datetime().nullable().meta({
    description: "The last request it authenticated, to within a minute; null if never used.",
  }),
});

/** The answer of a creation: the only time the secret is shown. */
export const CreatedTokenJson = TokenJson.extend({
  secret: z.string().meta({
    description:
      `The token to send as \`Authorization: Bearer <secret>\`: \`${TOKEN_PREFIX}\` and 49 more characters. ` +
      "Shown this once: only its hash is stored.",
  }),
});

export type TokenJson = z.infer<typeof TokenJson>;
export type CreatedTokenJson = z.infer<typeof CreatedTokenJson>;
