/**
 * Where rate-limit counts live: shared by every server instance, so a limit holds however many there are.
 * PostgreSQL by default (every deployment has it); Redis when RATE_LIMIT_STORE=redis.
 */
export interface RateLimitStore {
  /**
   * Adds `amount` to the key's counter for window `windowNumber` (a counter of an older window starts again at zero)
   * and returns the counter after adding. Atomic across instances.
   */
  add(key: string, windowNumber: number, windowMs: number, amount: number): Promise<number>;
  /** Counts one more failure for the key (starting again after `resetAfterMs` without one) and returns the count. */
  recordFailure(key: string, resetAfterMs: number): Promise<{ failures: number; lastFailureAt: Date }>;
  /** The key's consecutive failures, if any within `resetAfterMs`. */
  failures(key: string, resetAfterMs: number): Promise<{ failures: number; lastFailureAt: Date } | undefined>;
  clearFailures(key: string): Promise<void>;
}
