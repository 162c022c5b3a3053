import "server-only";
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { requestContext } from "../http/request-context";
import { limitApiRequest } from "../rate-limit/limits";
import { recordTokenUse } from "../tokens/last-used";
import { grants, permissionFor } from "../tokens/schema";
import { looksLikePersonalToken } from "../tokens/secret";
import { checkPersonalToken, type PersonalTokenCheck, type VerifiedPersonalToken } from "../tokens/verify";
import { tokenStanding } from "./revocation";
import { getAuth } from "./server";

const ALGORITHMS = ["EdDSA"];
const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * An unknown key id may be a key another instance just minted (rotation): the key set is re-read then, at most this
 * often, so a burst of forged key ids costs one read per interval, and a rotation is seen everywhere within it.
 */
export const KEY_SET_REFRESH_INTERVAL_MS = 5_000;
const BEARER = /^Bearer ([\w.-]+)$/i;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

type Verifier = ReturnType<typeof createLocalJWKSet>;
let keySet: { verifier: Verifier; loadedAt: number } | undefined;
let loading: Promise<Verifier> | undefined;

/**
 * Tokens whose signature this instance has checked, by the whole token string: a client sends the same token for
 * up to 15 minutes, and the Ed25519 check is the costliest step of a request. Bounded (the oldest goes first),
 * emptied when the key set is read again; the claims are still checked on every request (`checkClaims`).
 */
const VERIFIED_TOKENS_MAX = 10_000;
const verifiedTokens = new Map<string, JWTPayload>();

function rememberVerified(token: string, payload: JWTPayload) {
  if (verifiedTokens.size >= VERIFIED_TOKENS_MAX) {
    const oldest = verifiedTokens.keys().next().value;
    if (oldest !== undefined) verifiedTokens.delete(oldest);
  }
  verifiedTokens.set(token, payload);
}

/** In-process read of Better Auth's public keys (no HTTP round-trip); concurrent callers share one read. */
function loadKeySet(): Promise<Verifier> {
  loading ??= (async () => {
    try {
      const jwks = (await getAuth().api.getJwks()) as JSONWebKeySet;
      keySet = { verifier: createLocalJWKSet(jwks), loadedAt: Date.now() };
      // A key may have gone from the set: what it signed is checked again.
      verifiedTokens.clear();
      return keySet.verifier;
    } finally {
      loading = undefined;
    }
  })();
  return loading;
}

const REALM = 'Bearer realm="tasks"';

/** A refused token, with the Bearer challenge (RFC 6750) naming the error, its description and `params` (`, k="v"`). */
function tokenError(code: "invalid_token" | "insufficient_scope", detail: string, params = ""): ApiError {
  const challenge = `${REALM}, error="${code}", error_description="${detail}"${params}`;
  return new ApiError(code, detail, { headers: { "WWW-Authenticate": challenge } });
}

export function unauthorized(detail: string, tokenPresented = true): ApiError {
  if (tokenPresented) return tokenError("invalid_token", detail);
  return new ApiError("invalid_token", detail, { headers: { "WWW-Authenticate": REALM } });
}

/** A still-unexpired token can outlive its deleted user; the token is then as good as revoked. */
export const userGone = () => unauthorized("The user this token was issued to no longer exists.");

const claimRules = () => {
  const { BETTER_AUTH_URL } = env();
  return {
    algorithms: ALGORITHMS,
    issuer: BETTER_AUTH_URL,
    audience: BETTER_AUTH_URL,
    // `sid` names the session the token was issued from (lib/auth/server.ts), so ending it ends the token.
    requiredClaims: ["sub", "exp", "iat", "sid"],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
};

async function verify(token: string, verifier: Verifier): Promise<JWTPayload> {
  const cached = verifiedTokens.get(token);
  if (cached) return checkClaims(cached);
  const { payload } = await jwtVerify(token, verifier, claimRules());
  rememberVerified(token, payload);
  return payload;
}

/**
 * What jwtVerify checks of the claims, for a token whose signature was checked before: issuer, audience and the
 * times (an expired token leaves the cache as it is refused).
 */
function checkClaims(payload: JWTPayload): JWTPayload {
  const { issuer, audience, clockTolerance } = claimRules();
  const now = Math.floor(Date.now() / 1000);
  if (payload.iss !== issuer) throw new errors.JWTClaimValidationFailed('unexpected "iss" claim value', payload, "iss");
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(audience)) {
    throw new errors.JWTClaimValidationFailed('unexpected "aud" claim value', payload, "aud");
  }
  if (typeof payload.nbf === "number" && payload.nbf > now + clockTolerance) {
    throw new errors.JWTClaimValidationFailed('"nbf" claim timestamp check failed', payload, "nbf");
  }
  if (typeof payload.exp !== "number" || payload.exp <= now - clockTolerance) {
    throw new errors.JWTExpired('"exp" claim timestamp check failed', payload, "exp");
  }
  return payload;
}

function explainFailure(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return "The token has expired.";
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not valid.`;
  if (error instanceof errors.JOSEError) return "The token is not valid.";
  return undefined;
}

type VerifiedClaims = { sub: string; sid: string; iat: number; exp: number };

function verifiedClaims(payload: Awaited<ReturnType<typeof verify>>): VerifiedClaims {
  const { sub, sid, iat, exp } = payload;
  if (typeof sub !== "string" || sub === "") throw new errors.JWTClaimValidationFailed("missing sub", payload, "sub");
  if (typeof sid !== "string" || sid === "") throw new errors.JWTClaimValidationFailed("missing sid", payload, "sid");
  if (typeof iat !== "number") throw new errors.JWTClaimValidationFailed("missing iat", payload, "iat");
  // Checked by jwtVerify and checkClaims: a number.
  return { sub, sid, iat, exp: exp as number };
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

/** Why a personal token is refused (an expired one's detail names the time, in verifyPersonalToken). */
const PERSONAL_TOKEN_DETAIL: Record<Exclude<PersonalTokenCheck, { ok: true }>["reason"], string> = {
  malformed: "This is not a whole personal access token (tsk_pat_...): check that it was copied in full.",
  unknown: "No such personal access token: it was never issued, or its user was deleted.",
  revoked: "This personal access token was revoked; create a new one in the settings page.",
  expired: "This personal access token has expired.",
};

async function verifyPersonalToken(secret: string): Promise<VerifiedPersonalToken> {
  const check = await checkPersonalToken(secret);
  if (check.ok) return check.token;
  throw unauthorized(
    check.reason === "expired"
      ? `This personal access token expired at ${check.expiredAt.toISOString()}; create a new one in the settings page.`
      : PERSONAL_TOKEN_DETAIL[check.reason],
  );
}

/** Who a request acts for: a signed-in user's JWT, or one of their personal access tokens. */
type Caller =
  | { kind: "session"; userId: string; claims: VerifiedClaims }
  | { kind: "personal"; userId: string; token: VerifiedPersonalToken; secret: string };

/**
 * Verifies the token in `Authorization: Bearer` (a Better Auth JWT or a personal access token), spends one request
 * of its user's rate limit, checks that a JWT's session still stands, and returns who the request acts for.
 */
async function authenticate(request: Request): Promise<Caller> {
  const header = request.headers.get("authorization");
  const token = header?.match(BEARER)?.[1];
  const personal = token !== undefined && looksLikePersonalToken(token);
  if (!token || (!personal && !JWT.test(token))) {
    throw unauthorized(
      "Send `Authorization: Bearer <token>` with a token from GET /api/auth/token or a personal access token.",
      Boolean(header),
    );
  }
  const caller: Caller = personal
    ? { kind: "personal", ...(await personalCaller(token)) }
    : { kind: "session", ...(await sessionCaller(token)) };
  const context = requestContext();
  if (context) context.userId = caller.userId;
  await limitApiRequest(caller.userId);
  if (caller.kind === "session") {
    const standing = await tokenStanding(caller.claims);
    if (standing !== "valid") throw unauthorized(STANDING_DETAIL[standing]);
  } else {
    recordTokenUse(caller.token.id);
  }
  return caller;
}

async function sessionCaller(token: string) {
  const claims = await verifyBearer(token);
  return { userId: claims.sub, claims };
}

async function personalCaller(secret: string) {
  const token = await verifyPersonalToken(secret);
  return { userId: token.userId, token, secret };
}

async function authorizeCaller(request: Request, pathUserId: string): Promise<Caller> {
  const caller = await authenticate(request);
  if (caller.userId !== pathUserId) {
    throw new ApiError("forbidden", "This token belongs to another user; use your own user id in the path.");
  }
  return caller;
}

/** A read-only personal token on a write: 403, with the scope it lacks in the challenge (RFC 6750). */
function requirePermission(caller: Caller, method: string): void {
  if (caller.kind !== "personal") return;
  const permission = permissionFor(method);
  if (grants(caller.token.scope, permission)) return;
  const detail = `This personal access token has the scope ${caller.token.scope}; ${method} needs ${permission}.`;
  throw tokenError("insufficient_scope", detail, `, scope="${permission}"`);
}

/**
 * Authenticates the request (a JWT, or a personal token whose scope allows the method) and checks that the path's
 * user is the token's user (403 otherwise).
 */
export async function authorizeUser(request: Request, pathUserId: string): Promise<string> {
  const caller = await authorizeCaller(request, pathUserId);
  requirePermission(caller, request.method);
  return caller.userId;
}

/** authorizeUser for what only a signed-in user may do (manage tokens): a personal token is a 403. */
export async function authorizeSignedInUser(request: Request, pathUserId: string): Promise<string> {
  const caller = await authorizeCaller(request, pathUserId);
  if (caller.kind === "personal") {
    throw new ApiError(
      "forbidden",
      "A personal access token cannot do this; use a signed-in user's token from GET /api/auth/token.",
    );
  }
  return caller.userId;
}

/** A token that a long-lived response (an event stream) goes on checking: until when it holds, and whether it still does. */
export type HeldToken = { userId: string; expiresAtMs: number; stillStands(): Promise<boolean> };

/** authorizeUser, for a response that outlives the request: its token's expiry, and a re-check of its standing. */
export async function authorizeHeldToken(request: Request, pathUserId: string): Promise<HeldToken> {
  const caller = await authorizeCaller(request, pathUserId);
  requirePermission(caller, request.method);
  if (caller.kind === "personal") {
    const { secret } = caller;
    return {
      userId: caller.userId,
      expiresAtMs: caller.token.expiresAtMs ?? Number.POSITIVE_INFINITY,
      stillStands: async () => (await checkPersonalToken(secret)).ok,
    };
  }
  const { claims } = caller;
  return {
    userId: caller.userId,
    expiresAtMs: claims.exp * 1000,
    stillStands: async () => (await tokenStanding(claims)) === "valid",
  };
}
