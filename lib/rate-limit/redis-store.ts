import "server-only";
import { createClient } from "@redis/client";
import { log } from "../log";
import type { RateLimitStore } from "./store";

const CONNECT_TIMEOUT_MS = 2_000;

function connect(url: string) {
  return createClient({
    url,
    // Fail at once while disconnected (a 503 for the request) instead of queueing commands until Redis is back.
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries) => Math.min(retries * 200, 2_000) },
  })
    .on("error", (error: unknown) => log("warn", "redis", { error: String(error) }))
    .connect();
}

/** Counters in Redis: a key per window (INCRBY, expiring with the window), a hash per account for failures. */
export function createRedisStore(url: string): RateLimitStore {
  let client: ReturnType<typeof connect> | undefined;
  const connected = (): ReturnType<typeof connect> => {
    const connecting = client ?? connect(url);
    client = connecting;
    connecting.catch(() => {
      if (client === connecting) client = undefined;
    });
    return connecting;
  };
  return {
    async add(key, windowNumber, windowMs, amount) {
      const redis = await connected();
      const windowKey = `taskapp:rl:${key}:${windowNumber}`;
      const [used] = await redis
        .multi()
        .incrBy(windowKey, amount)
        .pExpireAt(windowKey, (windowNumber + 1) * windowMs + 1_000)
        .exec();
      return Number(used);
    },

    async recordFailure(key, resetAfterMs) {
      const redis = await connected();
      const failureKey = `taskapp:fail:${key}`;
      const now = Date.now();
      const [failures] = await redis
        .multi()
        .hIncrBy(failureKey, "failures", 1)
        .hSet(failureKey, "last", String(now))
        .pExpire(failureKey, resetAfterMs)
        .exec();
      return { failures: Number(failures), lastFailureAt: new Date(now) };
    },

    async failures(key) {
      const redis = await connected();
      const fields = await redis.hGetAll(`taskapp:fail:${key}`);
      if (!fields.failures || !fields.last) return undefined;
      return { failures: Number(fields.failures), lastFailureAt: new Date(Number(fields.last)) };
    },

    async clearFailures(key) {
      const redis = await connected();
      await redis.del(`taskapp:fail:${key}`);
    },
  };
}
