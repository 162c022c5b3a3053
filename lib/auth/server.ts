import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { jwt } from "better-auth/plugins/jwt";
import { db } from "../db";
import { env } from "../env";
import { CLIENT_ADDRESS_HEADER } from "../http/client-address";
import { isDatabaseUnavailable } from "../http/database-errors";
import { requestContext } from "../http/request-context";
import { log } from "../log";
import { once } from "../once";
import { charCount } from "../text";
import { databaseForAuth } from "./auth-database";
import { NAME_MAX_CHARS, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from "./credential-rules";
import { forgetSession, forgetUser } from "./revocation";

const DAY_SECONDS = 24 * 60 * 60;
/** Better Auth's log levels as the app's (lib/log.ts). */
const BETTER_AUTH_LEVELS = { debug: "info", info: "info", warn: "warn", error: "error" } as const;
const PASSWORD_PATHS = new Set(["/change-password", "/reset-password", "/set-password"]);

/**
 * Better Auth checks the type of `name`, not its content: a 1 MB name would be stored and echoed, a NUL would fail
 * in PostgreSQL (a 422 and an error log) and a lone surrogate would be stored as U+FFFD.
 */
const nameGuard = createAuthMiddleware(async (ctx) => {
  if (ctx.path !== "/sign-up/email" && ctx.path !== "/update-user") return;
  const name: unknown = ctx.body?.name;
  if (typeof name !== "string") return;
  if (charCount(name) > NAME_MAX_CHARS) {
    throw new APIError("BAD_REQUEST", {
      code: "NAME_TOO_LONG",
      message: `Name must be at most ${NAME_MAX_CHARS} characters.`,
    });
  }
  if (name.includes("\u0000") || !name.isWellFormed()) {
    throw new APIError("BAD_REQUEST", {
      code: "INVALID_NAME",
      message: "Name must be valid Unicode text without NUL characters.",
    });
  }
});

function createAuth() {
  const { BETTER_AUTH_URL, BETTER_AUTH_SECRET, CORS_ORIGINS, NODE_ENV } = env();
  return betterAuth({
    baseURL: BETTER_AUTH_URL,
    secret: BETTER_AUTH_SECRET,
    database: prismaAdapter(databaseForAuth(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: PASSWORD_MIN_CHARS, maxPasswordLength: PASSWORD_MAX_CHARS },
    trustedOrigins: CORS_ORIGINS,
    // The auth route (lib/auth/route.ts) limits requests per address and account in a store all instances share.
    rateLimit: { enabled: false },
    advanced: {
      // The address the auth route resolved from the one trusted source (lib/http/client-address.ts).
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      // HttpOnly and SameSite=Lax always (Better Auth's defaults); Secure in production even behind a TLS proxy.
      useSecureCookies: NODE_ENV === "production",
    },
    // Failures other than Better Auth's own answers reach the auth route, which tells a 503 from a bug.
    onAPIError: { throw: true },
    // Its log lines in the app's JSON format, with the request's id; only messages and error names, never objects. An
    // unavailable database is a warning, as it is everywhere else (the answer is a 503): an error line means a bug.
    logger: {
      level: "warn",
      log: (level, message, ...args) => {
        const severity = level === "error" && args.some(isDatabaseUnavailable) ? "warn" : BETTER_AUTH_LEVELS[level];
        log(severity, `better-auth: ${message}`, {
          request_id: requestContext()?.requestId ?? null,
          errors: args.filter((arg) => arg instanceof Error).map((error) => `${error.name}: ${error.message}`),
        });
      },
    },
    hooks: { before: nameGuard },
    databaseHooks: {
      session: { delete: { after: async (session) => forgetSession(session.id) } },
      account: {
        update: {
          after: async (account, context) => {
            if (!context || !PASSWORD_PATHS.has(context.path)) return;
            // Tokens issued before a password change stop working (lib/auth/revocation.ts).
            await db().user.update({ where: { id: account.userId }, data: { tokensValidAfter: new Date() } });
            forgetUser(account.userId);
          },
        },
      },
    },
    plugins: [
      jwt({
        // The task API needs only `sub` and the session's id (`sid`, so that ending the session ends the token);
        // the default payload would copy the whole user, email included.
        jwt: { definePayload: ({ session }) => ({ sid: session.id }) },
        jwks: { rotationInterval: 30 * DAY_SECONDS, gracePeriod: 7 * DAY_SECONDS },
        // Tokens come from GET /api/auth/token only (rate-limited), not as a header on every get-session.
        disableSettingJwtHeader: true,
      }),
      nextCookies(),
    ],
  });
}

export const getAuth = once(createAuth);
