import "server-only";
import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from "jose";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { requestContext } from "../http/request-context";
import { limitApiRequest } from "../rate-limit/limits";
import { tokenStanding } from "./revocation";
import { getAuth } from "./server";

const ALGORITHMS = ["EdDSA"];
const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * An unknown key id may be a key another instance just minted (rotation): the key set is re-read then, at most this
 * often, so a burst of forged key ids costs one read per interval, and a rotation is seen everywhere within it.
 */
export const KEY_SET_REFRESH_INTERVAL_MS = 5_000;
const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/i;

type Verifier = ReturnType<typeof createLocalJWKSet>;
let keySet: { verifier: Verifier; loadedAt: number } | undefined;
let loading: Promise<Verifier> | undefined;

/** In-process read of Better Auth's public keys (no HTTP round-trip); concurrent callers share one read. */
function loadKeySet(): Promise<Verifier> {
  loading ??= (async () => {
    try {
      const jwks = (await getAuth().api.getJwks()) as JSONWebKeySet;
      keySet = { verifier: createLocalJWKSet(jwks), loadedAt: Date.now() };
      return keySet.verifier;
    } finally {
      loading = undefined;
    }
  })();
  return loading;
}

export function unauthorized(detail: string, tokenPresented = true): ApiError {
  const challenge = tokenPresented
    ? `Bearer realm="tasks", error="invalid_token", error_description="${detail}"`
    : 'Bearer realm="tasks"';
  return new ApiError("invalid_token", detail, { headers: { "WWW-Authenticate": challenge } });
}

/** A still-unexpired token can outlive its deleted user; the token is then as good as revoked. */
export const userGone = () => unauthorized("The user this token was issued to no longer exists.");

async function verify(token: string, verifier: Verifier) {
  const { BETTER_AUTH_URL } = env();
  const { payload } = await jwtVerify(token, verifier, {
    algorithms: ALGORITHMS,
    issuer: BETTER_AUTH_URL,
    audience: BETTER_AUTH_URL,
    // `sid` names the session the token was issued from (lib/auth/server.ts), so ending it ends the token.
    requiredClaims: ["sub", "exp", "iat", "sid"],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  });
  return payload;
}

function explainFailure(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return "The token has expired.";
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not valid.`;
  if (error instanceof errors.JOSEError) return "The token is not valid.";
  return undefined;
}

type VerifiedClaims = { sub: string; sid: string; iat: number };

function verifiedClaims(payload: Awaited<ReturnType<typeof verify>>): VerifiedClaims {
  const { sub, sid, iat } = payload;
  if (typeof sub !== "string" || sub === "") throw new errors.JWTClaimValidationFailed("missing sub", payload, "sub");
  if (typeof sid !== "string" || sid === "") throw new errors.JWTClaimValidationFailed("missing sid", payload, "sid");
  if (typeof iat !== "number") throw new errors.JWTClaimValidationFailed("missing iat", payload, "iat");
  return { sub, sid, iat };
}

async function verifyBearer(token: string): Promise<VerifiedClaims> {
  try {
    let payload: Awaited<ReturnType<typeof verify>>;
    try {
      payload = await verify(token, keySet?.verifier ?? (await loadKeySet()));
    } catch (error) {
      const stale = !keySet || Date.now() - keySet.loadedAt > KEY_SET_REFRESH_INTERVAL_MS;
      if (!(error instanceof errors.JWKSNoMatchingKey) || !stale) throw error;
      payload = await verify(token, await loadKeySet());
    }
    return verifiedClaims(payload);
  } catch (error) {
    const detail = explainFailure(error);
    if (detail) throw unauthorized(detail);
    throw error;
  }
}

const STANDING_DETAIL = {
  session_ended: "The session this token was issued for has ended (signed out or revoked); sign in again.",
  password_changed: "The password changed after this token was issued; get a new token.",
} as const;

/**
 * Verifies the Better Auth JWT in `Authorization: Bearer`, spends one request of its user's rate limit, checks that
 * its session still stands, and returns the user id it was issued to.
 */
async function authenticate(request: Request): Promise<string> {
  const header = request.headers.get("authorization");
  const token = header?.match(BEARER)?.[1];
  if (!token) {
    throw unauthorized("Send `Authorization: Bearer <token>` with a token from GET /api/auth/token.", Boolean(header));
  }
  const claims = await verifyBearer(token);
  const context = requestContext();
  if (context) context.userId = claims.sub;
  const decision = await limitApiRequest(claims.sub);
  if (context && decision) context.rateLimit = decision;
  const standing = await tokenStanding(claims);
  if (standing !== "valid") throw unauthorized(STANDING_DETAIL[standing]);
  return claims.sub;
}

/** Authenticates the request and checks that the path's user is the token's user (403 otherwise). */
export async function authorizeUser(request: Request, pathUserId: string): Promise<string> {
  const userId = await authenticate(request);
  if (userId !== pathUserId) {
    throw new ApiError("forbidden", "This token belongs to another user; use your own user id in the path.");
  }
  return userId;
}
