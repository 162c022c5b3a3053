import { hkdfSync } from "node:crypto";
import { env } from "./env";

const cache = new Map<string, { secret: string; key: Buffer }>();

/**
 * A key of its own for one purpose, derived from BETTER_AUTH_SECRET (HKDF-SHA256), so no MAC made for one purpose
 * is ever valid for another (a cursor is never an auth signature, a rate-limit key never a cursor).
 */
export function derivedKey(purpose: string): Buffer {
  const secret = env().BETTER_AUTH_SECRET;
  const cached = cache.get(purpose);
  if (cached?.secret === secret) return cached.key;
  const key = Buffer.from(hkdfSync("sha256", secret, "", purpose, 32));
  cache.set(purpose, { secret, key });
  return key;
}
