import { base64url, decodeJwt, decodeProtectedHeader, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { expect } from "vitest";
import { getAuth } from "@/lib/auth/server";
import { BASE_URL } from "./app.ts";
import { expectError } from "./tasks.ts";

/** Seconds since the epoch, as JWT claims count time. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Claims a genuine task-API token carries: issued now by this app, for this app and session, valid 15 minutes. */
export function standardClaims(user: { id: string; sessionId: string }): JWTPayload {
  const now = nowSeconds();
  return { sub: user.id, sid: user.sessionId, iat: now, exp: now + 15 * 60, iss: BASE_URL, aud: BASE_URL };
}

/**
 * A token signed with the app's real Better Auth key, carrying exactly the claims given (Better Auth fills
 * exp, iss and aud when absent, and sets sub only when given).
 */
export async function signWithServerKey(payload: JWTPayload): Promise<string> {
  const { token } = await getAuth().api.signJWT({ body: { payload: payload as Record<string, unknown> } });
  return token;
}

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

export function decodeToken(token: string) {
  return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
}

/** The same token with its payload segment replaced (the signature no longer matches). */
export function withPayload(token: string, payload: JWTPayload): string {
  const [header, , signature] = token.split(".");
  return `${header}.${encodeJson(payload)}.${signature}`;
}

/** The same token with one signature character changed, so the signature no longer verifies. */
export function withFlippedSignature(token: string): string {
  const [header, payload, signature = ""] = token.split(".");
  // A character in the middle: the last base64url character may only carry padding bits.
  const index = Math.floor(signature.length / 2);
  const original = signature[index];
  const replacement = original === "A" ? "B" : "A";
  return `${header}.${payload}.${signature.slice(0, index)}${replacement}${signature.slice(index + 1)}`;
}

/** An unsecured JWT (`alg: "none"`, empty signature), as an attacker would hand-build it. */
export function unsignedToken(payload: JWTPayload, header: Record<string, unknown> = {}): string {
  return `${encodeJson({ ...header, alg: "none", typ: "JWT" })}.${encodeJson(payload)}.`;
}

/** An HS256 token whose HMAC key is the app's own BETTER_AUTH_SECRET (the classic algorithm-confusion forgery). */
export function hs256Token(payload: JWTPayload, secret: string): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

/** An EdDSA token signed by a freshly generated Ed25519 key the app has never seen; `kid` may claim a real key id. */
export async function foreignKeyToken(payload: JWTPayload, kid?: string): Promise<string> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  return new SignJWT(payload).setProtectedHeader(kid ? { alg: "EdDSA", kid } : { alg: "EdDSA" }).sign(privateKey);
}

/** Asserts a 401 with the `invalid_token` body and a `WWW-Authenticate: Bearer …` challenge; returns the challenge. */
export async function expectInvalidToken(response: Response): Promise<string> {
  const challenge = response.headers.get("www-authenticate") ?? "";
  expect(challenge).toMatch(/^Bearer\b/);
  await expectError(response, 401, "invalid_token");
  return challenge;
}
