import "server-only";
import { createHmac } from "node:crypto";
import { derivedKey } from "../derived-key";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { requestContext } from "../http/request-context";
import { once } from "../once";
import { type RateLimitDecision, RateLimiter, type RateLimitPolicy } from "./limiter";
import { postgresStore } from "./postgres-store";
import { createRedisStore } from "./redis-store";
import type { RateLimitStore } from "./store";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The auth routes' limits: per client address and per account, on top of the sign-in back-off below. */
export const AUTH_POLICIES = {
  signInPerAddress: { name: "sign-in:address", limit: 20, windowMs: MINUTE, maxLease: 1 },
  signInPerAccount: { name: "sign-in:account", limit: 10, windowMs: MINUTE, maxLease: 1 },
  signUpPerAddress: { name: "sign-up:address", limit: 10, windowMs: HOUR, maxLease: 1 },
  signUpPerAccount: { name: "sign-up:account", limit: 3, windowMs: HOUR, maxLease: 1 },
  tokenPerAddress: { name: "token:address", limit: 120, windowMs: MINUTE, maxLease: 1 },
  tokenPerAccount: { name: "token:account", limit: 60, windowMs: MINUTE, maxLease: 1 },
  otherAuthPerAddress: { name: "auth:address", limit: 60, windowMs: MINUTE, maxLease: 1 },
} as const satisfies Record<string, RateLimitPolicy>;

export type AuthPolicyName = keyof typeof AUTH_POLICIES;

/** Failed sign-ins per account: the first few are free, then each must wait twice as long as the last. */
export const SIGN_IN_BACKOFF = { freeFailures: 5, firstWaitMs: 1_000, maxWaitMs: 15 * MINUTE, resetAfterMs: 24 * HOUR };

const redisStore = once(() => createRedisStore(env().REDIS_URL ?? ""));

function store(): RateLimitStore {
  return env().RATE_LIMIT_STORE === "redis" ? redisStore() : postgresStore;
}

/** Keys in the shared store are HMACs: no address, email or user id is stored in the clear. */
function keyOf(subject: string): string {
  return createHmac("sha256", derivedKey("taskapp rate-limit key v1")).update(subject).digest("base64url").slice(0, 32);
}

// The HMAC is taken only when the store is asked, not on every request a lease covers.
const limiter = new RateLimiter(store, { storeKey: keyOf });

/** `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds), as in draft-ietf-httpapi-ratelimit-headers. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(decision.resetSeconds),
  };
}

function rateLimited(decision: RateLimitDecision, detail: string): ApiError {
  return new ApiError("rate_limited", `${detail} Try again in ${decision.resetSeconds} s.`, {
    headers: { ...rateLimitHeaders(decision), "Retry-After": String(decision.resetSeconds) },
  });
}

const apiPolicy = once((): RateLimitPolicy | undefined => {
  const setting = env().API_RATE_LIMIT;
  if (setting === "off") return undefined;
  // Leases of up to 5% of the budget keep most requests off the shared store.
  return { name: "api:user", ...setting, maxLease: Math.max(1, Math.ceil(setting.limit / 20)) };
});

/**
 * Spends `units` requests of the user's task-API budget (one per request; a batch's operations beyond its first);
 * 429 when they do not all fit, and then none is spent. The decision is kept in the request's context for its
 * RateLimit-* headers. Nothing is spent when API_RATE_LIMIT=off.
 */
export async function limitApiRequest(userId: string, units = 1): Promise<void> {
  const policy = apiPolicy();
  if (!policy) return;
  const decision = await limiter.hit(policy, `user:${userId}`, units);
  if (!decision.allowed) {
    const detail =
      units > 1
        ? `This account's API budget cannot cover ${units} more operations.`
        : "This account has made too many API requests.";
    throw rateLimited(decision, detail);
  }
  // The budget left, for the response's RateLimit-* headers (lib/http/route.ts).
  const context = requestContext();
  if (context) context.rateLimit = decision;
}

/** Spends one attempt under an auth policy for an address bucket or an account; 429 when it is spent. */
export async function limitAuth(policyName: AuthPolicyName, subject: string): Promise<void> {
  if (env().AUTH_RATE_LIMIT === "off") return;
  const decision = await limiter.hit(AUTH_POLICIES[policyName], subject);
  if (!decision.allowed) throw rateLimited(decision, "Too many attempts.");
}

function backoffWaitMs(failures: number): number {
  const { freeFailures, firstWaitMs, maxWaitMs } = SIGN_IN_BACKOFF;
  if (failures < freeFailures) return 0;
  return Math.min(maxWaitMs, firstWaitMs * 2 ** (failures - freeFailures));
}

const accountKey = (email: string) => keyOf(`account:${email.trim().toLowerCase()}`);

/** 429 while the account is backing off after failed sign-ins, whatever address the attempt comes from. */
export async function checkSignInBackoff(email: string): Promise<void> {
  if (env().AUTH_RATE_LIMIT === "off") return;
  const recorded = await store().failures(accountKey(email), SIGN_IN_BACKOFF.resetAfterMs);
  if (!recorded) return;
  const waitMs = recorded.lastFailureAt.getTime() + backoffWaitMs(recorded.failures) - Date.now();
  if (waitMs <= 0) return;
  const decision = {
    allowed: false,
    limit: SIGN_IN_BACKOFF.freeFailures,
    remaining: 0,
    resetSeconds: Math.ceil(waitMs / 1000),
  };
  throw rateLimited(decision, "Too many failed sign-ins for this account.");
}

/** After a sign-in attempt: a failure lengthens the account's back-off, a success ends it. */
export async function recordSignInOutcome(email: string, succeeded: boolean): Promise<void> {
  if (env().AUTH_RATE_LIMIT === "off") return;
  const key = accountKey(email);
  if (succeeded) await store().clearFailures(key);
  else await store().recordFailure(key, SIGN_IN_BACKOFF.resetAfterMs);
}
