import type { RateLimitStore } from "./store";

/** `limit` requests per `windowMs` (fixed windows); `maxLease` is how many units an instance may take at once. */
export type RateLimitPolicy = { name: string; limit: number; windowMs: number; maxLease: number };

export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  /** What is left in this window, as this instance knows it (exact with one instance). */
  remaining: number;
  /** Seconds until the window ends and the budget is full again. */
  resetSeconds: number;
};

type KeyState = {
  windowNumber: number;
  windowEndsAt: number;
  /** Units this instance took from the shared counter and has not used yet. */
  leaseLeft: number;
  /** The shared counter after this instance's last take, capped at the limit. */
  sharedUsed: number;
  exhausted: boolean;
  taking: Promise<void> | undefined;
};

const MAX_KEYS = 50_000;

/** How much to take from the shared counter: a batch while the budget is wide, one at a time near its end. */
function leaseSize(policy: RateLimitPolicy, sharedUsed: number): number {
  return Math.max(1, Math.min(policy.maxLease, Math.floor((policy.limit - sharedUsed) / 8)));
}

/**
 * A limit that holds across instances: every unit of budget is taken from one shared counter by an atomic add, so
 * all instances together never allow more than `limit` per window. To keep the shared store off the hot path, an
 * instance takes a small lease at once (`maxLease`, shrinking as the budget runs out) and spends it locally; once the
 * counter says the window is spent, the instance refuses locally until the window ends, without asking again.
 * An instance may hold back at most its unspent lease, so the others can be refused a few units early.
 */
export class RateLimiter {
  readonly #states = new Map<string, KeyState>();
  readonly #store: () => RateLimitStore;
  readonly #now: () => number;
  readonly #storeKey: (key: string) => string;

  /** `storeKey` turns a key into the one the shared store sees (e.g. an HMAC); it runs only when the store is asked. */
  constructor(store: () => RateLimitStore, options: { now?: () => number; storeKey?: (key: string) => string } = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#storeKey = options.storeKey ?? ((key) => key);
  }

  /**
   * Spends `units` of `key`'s budget under `policy` (a batch spends one per operation), all of them or none: refused
   * when the window cannot cover them all.
   */
  async hit(policy: RateLimitPolicy, key: string, units = 1): Promise<RateLimitDecision> {
    const stateKey = `${policy.name}:${key}`;
    for (;;) {
      const now = this.#now();
      const state = this.#current(stateKey, policy, now);
      if (state.leaseLeft >= units) {
        state.leaseLeft -= units;
        return this.#decision(policy, state, now, true);
      }
      if (state.exhausted || units > policy.limit) return this.#decision(policy, state, now, false);
      // One take per key at a time; requests arriving meanwhile wait for it and share its lease.
      state.taking ??= this.#take(policy, key, state, units - state.leaseLeft).finally(() => {
        state.taking = undefined;
      });
      await state.taking;
    }
  }

  async #take(policy: RateLimitPolicy, key: string, state: KeyState, needed: number): Promise<void> {
    const wanted = Math.max(needed, leaseSize(policy, state.sharedUsed));
    const storeKey = `${policy.name}:${this.#storeKey(key)}`;
    const used = await this.#store().add(storeKey, state.windowNumber, policy.windowMs, wanted);
    // The counter always grows by `wanted`; what fitted under the limit before this add is ours.
    const granted = Math.min(wanted, Math.max(0, policy.limit - (used - wanted)));
    state.leaseLeft += granted;
    state.sharedUsed = Math.min(used, policy.limit);
    state.exhausted = used >= policy.limit;
  }

  #current(stateKey: string, policy: RateLimitPolicy, now: number): KeyState {
    const windowNumber = Math.floor(now / policy.windowMs);
    const existing = this.#states.get(stateKey);
    if (existing && existing.windowNumber === windowNumber) return existing;
    if (!existing && this.#states.size >= MAX_KEYS) this.#evict(now);
    const state: KeyState = {
      windowNumber,
      windowEndsAt: (windowNumber + 1) * policy.windowMs,
      leaseLeft: 0,
      sharedUsed: 0,
      exhausted: false,
      taking: undefined,
    };
    this.#states.set(stateKey, state);
    return state;
  }

  /** Forgets keys whose window has ended, then the oldest ones if that is not enough (memory stays bounded). */
  #evict(now: number): void {
    for (const [key, state] of this.#states) if (state.windowEndsAt <= now && !state.taking) this.#states.delete(key);
    for (const key of this.#states.keys()) {
      if (this.#states.size < MAX_KEYS * 0.9) break;
      this.#states.delete(key);
    }
  }

  #decision(policy: RateLimitPolicy, state: KeyState, now: number, allowed: boolean): RateLimitDecision {
    return {
      allowed,
      limit: policy.limit,
      remaining: Math.max(0, policy.limit - state.sharedUsed + state.leaseLeft),
      resetSeconds: Math.max(1, Math.ceil((state.windowEndsAt - now) / 1000)),
    };
  }
}
