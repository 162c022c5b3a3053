import packageJson from "../../package.json" with { type: "json" };
import { NAME_MAX_CHARS, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from "../auth/credential-rules";
import { ErrorBody } from "../http/error-body";
import { ListId, ListInput, ListJson, ListMoveInput } from "../lists/schema";
import { once } from "../once";
import { SettingsPatchInput } from "../settings/schema";
import { TagId, TagJson, TagPatchInput } from "../tags/schema";
import { TaskCreateInput, TaskId, TaskJson, TaskMoveInput, TaskPatchInput, TaskReplaceInput } from "../tasks/schema";
import { AuthUser, authPaths, callbackURL } from "./auth-paths";
import { batchPaths, batchSchemas } from "./batch-paths";
import { changePaths, changeSchemas } from "./change-paths";
import { jsonSchemaOf, NO_NUL_PATTERN } from "./json-schema";
import { listPaths } from "./list-paths";
import { COMMON_HEADERS, ERROR_MEANING, errorBody, HEADERS, type Json, json, ref } from "./parts";
import { tagPaths } from "./tag-paths";
import { apiPaths } from "./task-paths";
import { tokenParameters, tokenPaths, tokenSchemas, tokenSecuritySchemes, withPersonalTokens } from "./token-paths";
import { transferPaths, transferSchemas } from "./transfer-paths";
import { webhookEvents, webhookPaths, webhookSchemas } from "./webhook-paths";

function components(): Json {
  return {
    schemas: {
      Task: { ...jsonSchemaOf(TaskJson, "output"), description: "A task, as every task route returns it." },
      TaskCreate: jsonSchemaOf(TaskCreateInput, "input"),
      TaskReplace: jsonSchemaOf(TaskReplaceInput, "input"),
      TaskPatch: jsonSchemaOf(TaskPatchInput, "input"),
      TaskMove: jsonSchemaOf(TaskMoveInput, "input"),
      SettingsPatch: jsonSchemaOf(SettingsPatchInput, "input"),
      List: { ...jsonSchemaOf(ListJson, "output"), description: "A list, as every list route returns it." },
      ListInput: jsonSchemaOf(ListInput, "input"),
      ListMove: jsonSchemaOf(ListMoveInput, "input"),
      Tag: { ...jsonSchemaOf(TagJson, "output"), description: "A tag and how many of the user's tasks carry it." },
      TagPatch: jsonSchemaOf(TagPatchInput, "input"),
      ...changeSchemas(),
      ...webhookSchemas(),
      ...tokenSchemas(),
      ...batchSchemas(),
      ...transferSchemas(),
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
              `Up to ${NAME_MAX_CHARS} characters (code points); valid Unicode without NUL characters (else 400 ` +
              "`INVALID_NAME`; JSON Schema cannot express the lone surrogates this refuses).",
            examples: ["Ada"],
          },
          email: { type: "string", format: "email", examples: ["ada@example.com"] },
          password: {
            type: "string",
            minLength: PASSWORD_MIN_CHARS,
            maxLength: PASSWORD_MAX_CHARS,
            description:
              `${PASSWORD_MIN_CHARS}–${PASSWORD_MAX_CHARS} characters, counted in UTF-16 code units as JavaScript ` +
              "does (an emoji counts 2), which `minLength` and `maxLength` count as code points.",
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
          password: {
            type: "string",
            maxLength: PASSWORD_MAX_CHARS,
            description: `At most ${PASSWORD_MAX_CHARS} UTF-16 code units.`,
          },
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
      ListId: {
        name: "listId",
        in: "path",
        required: true,
        description:
          "The list's `id`. Anything that is not a list of yours, a string that is no UUID included, is a 404.",
        schema: jsonSchemaOf(ListId, "input"),
      },
      TagId: {
        name: "tagId",
        in: "path",
        required: true,
        description:
          "The tag's `id`. Anything that is not a tag of yours, a string that is no UUID included, is a 404.",
        schema: jsonSchemaOf(TagId, "input"),
      },
      ...tokenParameters(),
      IfMatch: {
        name: "If-Match",
        in: "header",
        required: false,
        description:
          'Change only if the task or list is still at one of these versions: its `ETag` (e.g. `"3"`; a list such as ' +
          '`"3", "4"` is read as RFC 9110 says), or `*` for any. Comparison is strong: a weak tag (`W/"3"`) or one ' +
          "this server never issued matches nothing. Otherwise 412 `precondition_failed` and nothing changes. " +
          "Without it the last write wins.",
        schema: { type: "string" },
      },
      IfNoneMatch: {
        name: "If-None-Match",
        in: "header",
        required: false,
        description: "A 304 without a body while the task or list is at one of these `ETag`s (or for `*`).",
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
      cronSecret: {
        type: "http",
        scheme: "bearer",
        description: "The server's CRON_SECRET, as Vercel Cron sends it: for the scheduled routes only.",
      },
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "better-auth.session_token",
        description: "The Better Auth session cookie set by sign-up or sign-in (`__Secure-` prefixed in production).",
      },
      ...tokenSecuritySchemes(),
    },
  };
}

const DESCRIPTION = `A task list for people and a REST API for the programs they use. Every user sees only their own tasks.

**Getting a token.** Sign up (\`POST /api/auth/sign-up/email\`) or sign in (\`POST /api/auth/sign-in/email\`); keep the
session cookie; \`GET /api/auth/token\` with it returns an API token valid 15 minutes. Send it as
\`Authorization: Bearer <token>\` to the task routes, whose \`{userId}\` is your user id. For scripts, a personal access
token (\`tsk_pat_…\`, made in the settings page or at \`POST /api/{userId}/tokens\`) goes in the same header, with the
scope each operation lists: \`tasks:read\` for reads, \`tasks:write\` for the rest.

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

**Concurrency.** Each task and each list has an \`ETag\`; send it back in \`If-Match\` to change it only if nobody
else has, or in \`If-None-Match\` to get a 304 while it is unchanged.

**Webhooks.** Register HTTPS endpoints (\`/api/{userId}/webhooks\`) and each change-feed event is POSTed to them as it
commits, signed with \`Tasks-Signature\` and identified by \`Webhook-Id\`: the payloads are this document's
\`webhooks\`. Delivery is at least once and unordered; failed attempts are retried for 24 hours.

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
        name: "Lists",
        description:
          "A user's named lists, in an order of their own; a task's `list_id` names one. Bearer token required.",
      },
      {
        name: "Tags",
        description:
          "A user's tags, made when a task is first given one; rename or delete them here. Bearer token required.",
      },
      {
        name: "Changes",
        description:
          "The change feed: every committed change of the user's tasks, lists and tags, for clients that sync. " +
          "Bearer token required.",
      },
      {
        name: "Webhooks",
        description:
          "HTTPS endpoints the server POSTs the change feed's events to, signed, as they commit (see `webhooks`). " +
          "Managed with a signed-in user's JWT only.",
      },
      { name: "Settings", description: "How the user works (their time zone). Bearer token required." },
      {
        name: "Tokens",
        description:
          "Personal access tokens for scripts, cron jobs and automations: long-lived, scoped, revocable. Managed " +
          "with a signed-in user's JWT only.",
      },
      {
        name: "Import and export",
        description:
          "The whole account as a JSON document or a CSV, and back in (or from Todoist). Bearer token required.",
      },
      {
        name: "Authentication",
        description:
          "Better Auth endpoints that get you a session and an API token. Better Auth has more endpoints under " +
          "`/api/auth/` than these; a path it does not have is a 404 `not_found` in the `Error` body.",
      },
      { name: "Service", description: "Health and this description." },
      { name: "CORS", description: "Preflight answers, for browsers on another origin." },
    ],
    paths: withPersonalTokens({
      ...apiPaths(),
      ...batchPaths(),
      ...listPaths(),
      ...tagPaths(),
      ...changePaths(),
      ...transferPaths(),
      ...webhookPaths(),
      ...tokenPaths(),
      ...authPaths(),
    }),
    webhooks: webhookEvents(),
    components: components(),
  };
}

/** The OpenAPI 3.1 document of the API, built once from the zod schemas that validate requests. */
export const openApiDocument = once(buildDocument);
