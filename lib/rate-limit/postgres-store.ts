import "server-only";
import { rootClient } from "../db";
import type { RateLimitStore } from "./store";

const SWEEP_INTERVAL_MS = 10 * 60_000;
let lastSweep = 0;

/** Stale rows (keys not seen for a window) are deleted now and then, off the request's path. */
function sweepNowAndThen(): void {
  const now = Date.now();
  if (now - lastSweep < SWEEP_INTERVAL_MS) return;
  lastSweep = now;
  const day = new Date(now - 24 * 60 * 60_000);
  void Promise.all([
    rootClient().rateLimitCounter.deleteMany({ where: { expiresAt: { lt: new Date(now) } } }),
    rootClient().signInFailure.deleteMany({ where: { lastFailureAt: { lt: day } } }),
  ]).catch(() => {
    lastSweep = 0;
  });
}

/**
 * Counters in the `rate_limit_counters` table: one upsert per call, atomic under concurrent instances. Always on the
 * pool, never in a request's transaction (lib/db.ts), which would hold the counter's row until its commit.
 */
export const postgresStore: RateLimitStore = {
  async add(key, windowNumber, windowMs, amount) {
    sweepNowAndThen();
    const expiresAt = new Date((windowNumber + 1) * windowMs);
    // A clock a little behind another instance's counts toward the newer window instead of resetting it.
    const [row] = await rootClient().$queryRaw<{ used: number }[]>`
      INSERT INTO rate_limit_counters AS counter (key, window_number, used, expires_at)
      VALUES (${key}, ${windowNumber}, ${amount}, ${expiresAt})
      ON CONFLICT (key) DO UPDATE SET
        used = CASE WHEN counter.window_number >= EXCLUDED.window_number
                    THEN counter.used + EXCLUDED.used ELSE EXCLUDED.used END,
        window_number = GREATEST(counter.window_number, EXCLUDED.window_number),
        expires_at = GREATEST(counter.expires_at, EXCLUDED.expires_at)
      RETURNING used`;
    return row?.used ?? amount;
  },

  async recordFailure(key, resetAfterMs) {
    const since = new Date(Date.now() - resetAfterMs);
    const [row] = await rootClient().$queryRaw<{ failures: number; last_failure_at: Date }[]>`
      INSERT INTO sign_in_failures AS failure (key, failures, last_failure_at)
      VALUES (${key}, 1, ${new Date()})
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN failure.last_failure_at < ${since} THEN 1 ELSE failure.failures + 1 END,
        last_failure_at = EXCLUDED.last_failure_at
      RETURNING failures, last_failure_at`;
    return { failures: row?.failures ?? 1, lastFailureAt: row?.last_failure_at ?? new Date() };
  },

  async failures(key, resetAfterMs) {
    const row = await rootClient().signInFailure.findFirst({
      where: { key, lastFailureAt: { gte: new Date(Date.now() - resetAfterMs) } },
    });
    return row ? { failures: row.failures, lastFailureAt: row.lastFailureAt } : undefined;
  },

  async clearFailures(key) {
    await rootClient().signInFailure.deleteMany({ where: { key } });
  },
};
