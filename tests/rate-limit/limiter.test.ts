import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RateLimiter, type RateLimitPolicy } from "@/lib/rate-limit/limiter";
import { postgresStore } from "@/lib/rate-limit/postgres-store";
import { createRedisStore } from "@/lib/rate-limit/redis-store";
import type { RateLimitStore } from "@/lib/rate-limit/store";

/** A Redis server for the Redis store's half of these tests (CI sets it); without one that half is skipped. */
const REDIS_URL = process.env.TEST_REDIS_URL;
const MINUTE = 60_000;

/** A store that counts the calls made to it, so tests can tell what stayed local. */
function counting(store: RateLimitStore) {
  const calls = { add: 0 };
  const counted: RateLimitStore = {
    ...store,
    add: (...args) => {
      calls.add++;
      return store.add(...args);
    },
  };
  return { store: counted, calls };
}

const policy = (limit: number, maxLease: number, windowMs = MINUTE): RateLimitPolicy => ({
  name: `test-${randomUUID()}`,
  limit,
  windowMs,
  maxLease,
});

async function spend(limiter: RateLimiter, limitPolicy: RateLimitPolicy, key: string, times: number) {
  const decisions = [];
  for (let i = 0; i < times; i++) decisions.push(await limiter.hit(limitPolicy, key));
  return decisions;
}

const stores: [string, () => RateLimitStore][] = [
  ["PostgreSQL", () => postgresStore],
  ...(REDIS_URL ? [["Redis", () => createRedisStore(REDIS_URL)] as [string, () => RateLimitStore]] : []),
];
if (!REDIS_URL) console.warn("No TEST_REDIS_URL: the rate limiter's Redis store is not tested.");

describe.each(stores)("The rate limiter on %s", (_name, makeStore) => {
  const store = makeStore();

  it("allows exactly the limit in a window, counting the remaining budget down to 0, then refuses", async () => {
    const limiter = new RateLimiter(() => store);
    const limitPolicy = policy(5, 1);
    const decisions = await spend(limiter, limitPolicy, "alice", 7);
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    for (const decision of decisions) {
      expect(decision.limit).toBe(5);
      expect(decision.resetSeconds).toBeGreaterThanOrEqual(1);
      expect(decision.resetSeconds).toBeLessThanOrEqual(60);
    }
  });

  it("spends several units at once (a batch's operations), all or none: what cannot be covered is refused whole", async () => {
    const limiter = new RateLimiter(() => store);
    const limitPolicy = policy(100, 5);
    const first = await limiter.hit(limitPolicy, "alice", 60);
    expect(first).toMatchObject({ allowed: true, remaining: 40 });
    const tooMany = await limiter.hit(limitPolicy, "alice", 41);
    expect(tooMany.allowed).toBe(false);
    const rest = await limiter.hit(limitPolicy, "alice", 40);
    expect(rest).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.hit(limitPolicy, "alice")).allowed).toBe(false);
    // More than a whole window holds is refused without spending anything.
    expect((await limiter.hit(limitPolicy, "bob", 101)).allowed).toBe(false);
    expect(await limiter.hit(limitPolicy, "bob", 100)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("two instances spending units share one budget: together they never allow more than the limit", async () => {
    const limitPolicy = policy(100, 5);
    const [a, b] = [new RateLimiter(() => store), new RateLimiter(() => store)];
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 ? a : b).hit(limitPolicy, "alice", 10)),
    );
    const allowed = decisions.filter((decision) => decision.allowed).length;
    expect(allowed).toBeLessThanOrEqual(10);
    expect(allowed).toBeGreaterThanOrEqual(8);
  });

  it("counts each key on its own: Bob keeps his budget when Alice has spent hers", async () => {
    const limiter = new RateLimiter(() => store);
    const limitPolicy = policy(2, 1);
    await spend(limiter, limitPolicy, "alice", 3);
    expect((await limiter.hit(limitPolicy, "bob")).allowed).toBe(true);
  });

  it("two instances share one budget: together they never allow more than the limit, and lose at most their leases", async () => {
    const limitPolicy = policy(100, 10);
    const first = new RateLimiter(() => store);
    const second = new RateLimiter(() => store);
    let allowed = 0;
    for (let i = 0; i < 150; i++) {
      const limiter = i % 3 === 0 ? second : first;
      if ((await limiter.hit(limitPolicy, "shared")).allowed) allowed++;
    }
    expect(allowed).toBeLessThanOrEqual(100);
    // Leases shrink as the budget runs out, so what one instance holds back at the end is small.
    expect(allowed).toBeGreaterThanOrEqual(100 - 2 * 10);
  });

  it("under 300 concurrent requests on three instances, no more than the limit are allowed", async () => {
    const limitPolicy = policy(120, 12);
    const instances = [0, 1, 2].map(() => new RateLimiter(() => store));
    const decisions = await Promise.all(
      Array.from({ length: 300 }, (_, i) => instances[i % 3]?.hit(limitPolicy, "burst")),
    );
    const allowed = decisions.filter((decision) => decision?.allowed).length;
    expect(allowed).toBeLessThanOrEqual(120);
    expect(allowed).toBeGreaterThanOrEqual(120 - 3 * 12);
  });

  it("spends leases locally: 100 requests within a 1,000 budget cost a handful of store calls, not 100", async () => {
    const { store: counted, calls } = counting(store);
    const limiter = new RateLimiter(() => counted);
    const decisions = await spend(limiter, policy(1000, 50), "alice", 100);
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(decisions.at(-1)?.remaining).toBe(900);
    expect(calls.add).toBeLessThanOrEqual(3);
  });

  it("the shared store sees only what storeKey makes of a key, never the key itself", async () => {
    const seen: string[] = [];
    const watching: RateLimitStore = {
      ...store,
      add: (key, ...rest) => {
        seen.push(key);
        return store.add(key, ...rest);
      },
    };
    const limiter = new RateLimiter(() => watching, { storeKey: (key) => `hashed(${key.length})` });
    const limitPolicy = policy(2, 1);
    await spend(limiter, limitPolicy, "alice@example.com", 3);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((key) => key === `${limitPolicy.name}:hashed(17)`)).toBe(true);
  });

  it("once the window is spent, refuses without asking the store again until the window ends", async () => {
    const { store: counted, calls } = counting(store);
    const limiter = new RateLimiter(() => counted);
    const limitPolicy = policy(3, 1);
    await spend(limiter, limitPolicy, "alice", 4);
    const callsWhenSpent = calls.add;
    const refused = await spend(limiter, limitPolicy, "alice", 50);
    expect(refused.every((decision) => !decision.allowed)).toBe(true);
    expect(calls.add).toBe(callsWhenSpent);
  });

  it("starts a new budget when the window ends", async () => {
    // The start of a window a little ahead: Redis expires keys by the real clock.
    let now = (Math.floor(Date.now() / MINUTE) + 1) * MINUTE;
    const limiter = new RateLimiter(() => store, { now: () => now });
    const limitPolicy = policy(2, 1);
    expect((await spend(limiter, limitPolicy, "alice", 3)).map((decision) => decision.allowed)).toEqual([
      true,
      true,
      false,
    ]);
    now += MINUTE;
    const next = await limiter.hit(limitPolicy, "alice");
    expect(next.allowed).toBe(true);
    expect(next.remaining).toBe(1);
    expect(next.resetSeconds).toBe(60);
  });

  it("counts failures per key until cleared, and forgets them after the reset time", async () => {
    const key = `failures-${randomUUID()}`;
    expect(await store.failures(key, MINUTE)).toBeUndefined();
    expect((await store.recordFailure(key, MINUTE)).failures).toBe(1);
    expect((await store.recordFailure(key, MINUTE)).failures).toBe(2);
    expect((await store.failures(key, MINUTE))?.failures).toBe(2);
    await store.clearFailures(key);
    expect(await store.failures(key, MINUTE)).toBeUndefined();
    await store.recordFailure(key, 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.failures(key, 50)).toBeUndefined();
  });
});

describe("When the shared store fails", () => {
  it("the request fails (a 503 for the caller), and the next one asks the store again", async () => {
    let broken = true;
    const flaky: RateLimitStore = {
      ...postgresStore,
      add: async (...args) => {
        if (broken) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        return postgresStore.add(...args);
      },
    };
    const limiter = new RateLimiter(() => flaky);
    const limitPolicy = policy(5, 1);
    await expect(limiter.hit(limitPolicy, "alice")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    broken = false;
    expect((await limiter.hit(limitPolicy, "alice")).allowed).toBe(true);
  });
});
