import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { jwt } from "better-auth/plugins/jwt";
import { db } from "../db";
import { env } from "../env";
import { once } from "../once";

const DAY_SECONDS = 24 * 60 * 60;

function createAuth() {
  const { BETTER_AUTH_URL, BETTER_AUTH_SECRET, CORS_ORIGINS, AUTH_RATE_LIMIT } = env();
  return betterAuth({
    baseURL: BETTER_AUTH_URL,
    secret: BETTER_AUTH_SECRET,
    database: prismaAdapter(db(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    trustedOrigins: CORS_ORIGINS,
    ...(AUTH_RATE_LIMIT === "off" && { rateLimit: { enabled: false } }),
    plugins: [
      jwt({
        // The task API needs only `sub`; the default payload would copy the whole user, email included.
        jwt: { definePayload: () => ({}) },
        jwks: { rotationInterval: 30 * DAY_SECONDS, gracePeriod: 7 * DAY_SECONDS },
      }),
      nextCookies(),
    ],
  });
}

export const getAuth = once(createAuth);
