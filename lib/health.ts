import "server-only";
import { db } from "./db";
import { serviceUnavailable } from "./http/errors";
import { log } from "./log";

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
    log("warn", "health check failed", { check: "database", error: String(error) });
    throw serviceUnavailable("The database is not reachable.");
  } finally {
    clearTimeout(timer);
  }
}
