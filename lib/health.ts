import "server-only";
import { db } from "./db";
import { ApiError } from "./http/errors";

const HEALTH_TIMEOUT_MS = 3_000;

/** Resolves when the database answers within a bounded time; otherwise a 503 for load balancers. */
export async function checkDatabase(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
  });
  try {
    await Promise.race([db().$queryRaw`SELECT 1`, timeout]);
  } catch (error) {
    console.warn(JSON.stringify({ level: "warn", check: "database", error: String(error) }));
    throw new ApiError("service_unavailable", "The database is not reachable.", { headers: { "Retry-After": "5" } });
  } finally {
    clearTimeout(timer);
  }
}
