import "server-only";
import { db } from "../db";

/**
 * How long a session's state is trusted before it is read again. A token stops working at most this long after its
 * session ends (sign-out, "sign out everywhere", a password change that revokes sessions) or after a password change.
 */
export const REVOCATION_CHECK_TTL_MS = 2_000;
const MAX_ENTRIES = 20_000;

type SessionState = { alive: boolean; tokensValidAfterSeconds: number };
type Entry = { userId: string; checkedAt: number; state: Promise<SessionState> };

const cache = new Map<string, Entry>();

function readSessionState(sessionId: string, userId: string): Promise<SessionState> {
  return db()
    .session.findFirst({
      where: { id: sessionId, userId, expiresAt: { gt: new Date() } },
      select: { user: { select: { tokensValidAfter: true } } },
    })
    .then((row) => ({
      alive: row !== null,
      tokensValidAfterSeconds: Math.floor((row?.user.tokensValidAfter?.getTime() ?? 0) / 1000),
    }));
}

/** The session's state, read at most once per TTL per instance; concurrent requests share one read. */
function sessionState(sessionId: string, userId: string): Promise<SessionState> {
  const now = Date.now();
  const cached = cache.get(sessionId);
  if (cached && cached.userId === userId && now - cached.checkedAt < REVOCATION_CHECK_TTL_MS) return cached.state;
  const state = readSessionState(sessionId, userId);
  state.catch(() => cache.delete(sessionId));
  if (cache.size >= MAX_ENTRIES) {
    for (const [key, entry] of cache) if (now - entry.checkedAt >= REVOCATION_CHECK_TTL_MS) cache.delete(key);
    if (cache.size >= MAX_ENTRIES) cache.clear();
  }
  cache.set(sessionId, { userId, checkedAt: now, state });
  return state;
}

export type TokenStanding = "valid" | "session_ended" | "password_changed";

/** Whether a verified token's session still stands: it must exist, and the token must postdate a password change. */
export async function tokenStanding(claims: { sub: string; sid: string; iat: number }): Promise<TokenStanding> {
  const state = await sessionState(claims.sid, claims.sub);
  if (!state.alive) return "session_ended";
  return claims.iat < state.tokensValidAfterSeconds ? "password_changed" : "valid";
}

/** Drops what this instance knows of a session, so a sign-out through it takes effect here at once. */
export function forgetSession(sessionId: string): void {
  cache.delete(sessionId);
}

/** Drops every cached session of a user (a password change through this instance). */
export function forgetUser(userId: string): void {
  for (const [key, entry] of cache) if (entry.userId === userId) cache.delete(key);
}
