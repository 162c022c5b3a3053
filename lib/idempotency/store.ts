import "server-only";
import { db, rootClient } from "../db";
import { Prisma } from "../generated/prisma/client";
import { IDEMPOTENCY_KEY_TTL_HOURS } from "./key";

/** The first answer a key got, as replayed: status, the headers that matter, the body as sent. */
export type StoredAnswer = { status: number; headers: Record<string, string>; body: string };

type Claim = { claimed: true } | { claimed: false; requestHash: string; answer: StoredAnswer | undefined };

/**
 * How long a second request with a key waits for the first to commit (the key's row is locked by the first's
 * transaction until then) before it is told the key is in use: below the client-side statement timeout (lib/db.ts).
 */
const CLAIM_WAIT = "4s";

const TTL = Prisma.sql`make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;

/**
 * Takes the user's key for this request, in the current transaction: an INSERT, or the takeover of a row older than
 * the TTL. A concurrent request holding the key (uncommitted) makes this wait for its end (the primary key's unique
 * check): its commit leaves the row to replay, its rollback leaves the key free. Otherwise the row as committed.
 */
export async function claimKey(userId: string, key: string, requestHash: string): Promise<Claim> {
  const client = db();
  const claimed = await client.$queryRaw<unknown[]>`
    INSERT INTO idempotency_keys AS k (user_id, key, request_hash, created_at)
    SELECT ${userId}, ${key}, ${requestHash}, now() FROM (SELECT set_config('lock_timeout', ${CLAIM_WAIT}, true)) s
    ON CONFLICT (user_id, key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, status = NULL, headers = NULL, body = NULL,
          created_at = EXCLUDED.created_at
      WHERE k.created_at <= now() - ${TTL}
    RETURNING 1`;
  if (claimed.length > 0) return { claimed: true };
  const row = await client.idempotencyKey.findUnique({ where: { userId_key: { userId, key } } });
  if (!row || row.status === null) return { claimed: false, requestHash: row?.requestHash ?? "", answer: undefined };
  const headers = row.headers as Record<string, string>;
  return {
    claimed: false,
    requestHash: row.requestHash,
    answer: { status: row.status, headers, body: row.body ?? "" },
  };
}

/** Records the answer on the claimed key, in the same transaction as the request's writes. */
export async function recordAnswer(userId: string, key: string, answer: StoredAnswer): Promise<void> {
  await db().idempotencyKey.update({
    where: { userId_key: { userId, key } },
    data: { status: answer.status, headers: answer.headers, body: answer.body },
  });
}

/** Deletes the keys past the TTL; returns how many. */
export function sweepExpiredKeys(): Promise<number> {
  return rootClient().$executeRaw`DELETE FROM idempotency_keys WHERE created_at < now() - ${TTL}`;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;
let lastSweep = 0;

/** Keys past the TTL are deleted now and then, off the request's path (a stale one is taken over meanwhile). */
export function sweepExpiredKeysNowAndThen(): void {
  const now = Date.now();
  if (now - lastSweep < SWEEP_INTERVAL_MS) return;
  lastSweep = now;
  sweepExpiredKeys().catch(() => {
    lastSweep = 0;
  });
}
