import "server-only";
import { db, lockUsersCreations, transaction } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { isRecordNotFound } from "../http/database-errors";
import { ApiError } from "../http/errors";
import {
  TOKEN_PREFIX,
  TOKENS_PER_USER_MAX,
  type TokenCreate,
  TokenId,
  type TokenJson,
  type TokenScope,
} from "./schema";
import { generateSecret, hashSecret, secretHint } from "./secret";
import { forgetRevokedToken } from "./verify";

const tokenNotFound = () => new ApiError("not_found", "No token with this id exists for this user.");

const tooManyTokens = () =>
  new ApiError(
    "conflict",
    `You already have ${TOKENS_PER_USER_MAX} tokens, the most a user may have; revoke one you no longer use first.`,
  );

const TOKEN_SELECT = {
  id: true,
  name: true,
  scope: true,
  secretHint: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
} as const satisfies Prisma.PersonalAccessTokenSelect;

type StoredToken = Prisma.PersonalAccessTokenGetPayload<{ select: typeof TOKEN_SELECT }>;

export function toTokenJson(token: StoredToken): TokenJson {
  return {
    id: token.id,
    name: token.name,
    scope: token.scope as TokenScope,
    hint: `${TOKEN_PREFIX}…${token.secretHint}`,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt?.toISOString() ?? null,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
  };
}

/** A revoked token is gone for its user: listing, reading and revoking it again all miss. */
function ownedToken(userId: string, tokenId: string) {
  if (!TokenId.safeParse(tokenId).success) throw tokenNotFound();
  return { id: tokenId, userId, revokedAt: null };
}

/** Newest first; expired tokens stay listed (marked by `expires_at`) until revoked. */
export function listTokens(userId: string): Promise<StoredToken[]> {
  return db().personalAccessToken.findMany({
    where: { userId, revokedAt: null },
    select: TOKEN_SELECT,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

export async function getToken(userId: string, tokenId: string): Promise<StoredToken> {
  const token = await db().personalAccessToken.findFirst({ where: ownedToken(userId, tokenId), select: TOKEN_SELECT });
  if (!token) throw tokenNotFound();
  return token;
}

/** The stored token, and its secret: returned this once, never stored (only its hash is). */
export async function createToken(
  userId: string,
  { name, scope, expires_at }: TokenCreate,
): Promise<{ token: StoredToken; secret: string }> {
  const secret = generateSecret();
  const token = await transaction(async (tx) => {
    await lockUsersCreations(tx, "tokens", userId);
    if ((await tx.personalAccessToken.count({ where: { userId, revokedAt: null } })) >= TOKENS_PER_USER_MAX) {
      throw tooManyTokens();
    }
    return tx.personalAccessToken.create({
      data: {
        userId,
        name,
        scope,
        secretHash: hashSecret(secret),
        secretHint: secretHint(secret),
        expiresAt: expires_at ? new Date(expires_at) : null,
      },
      select: TOKEN_SELECT,
    });
  });
  return { token, secret };
}

/** Effective on the next request everywhere: here at once, on other instances by the trigger's NOTIFY at commit. */
export async function revokeToken(userId: string, tokenId: string): Promise<void> {
  let secretHash: string;
  try {
    ({ secretHash } = await db().personalAccessToken.update({
      where: ownedToken(userId, tokenId),
      data: { revokedAt: new Date() },
      select: { secretHash: true },
    }));
  } catch (error) {
    if (isRecordNotFound(error)) throw tokenNotFound();
    throw error;
  }
  await forgetRevokedToken(secretHash);
}
