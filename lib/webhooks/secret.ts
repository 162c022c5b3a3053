import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { derivedKey } from "../derived-key";

// An endpoint's signing secret is needed in clear to sign, so it cannot be stored as a hash; it is stored encrypted
// (AES-256-GCM) with a key of its own derived from BETTER_AUTH_SECRET, so a copy of the database alone signs nothing,
// and bound to its endpoint's id (the additional data), so a secret copied onto another endpoint's row does not open.

const PURPOSE = "taskapp webhook secret v1";
const VERSION = "v1";

/** A new secret: `whsec_` and 32 random bytes (base64url), recognisable by secret scanners. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString("base64url")}`;

export function encryptSecret(secret: string, endpointId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(PURPOSE), iv);
  cipher.setAAD(Buffer.from(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url")}`;
}

export function decryptSecret(stored: string, endpointId: string): string {
  const [version, payload = ""] = stored.split(".");
  if (version !== VERSION) throw new Error(`unknown webhook secret format ${version}`);
  const bytes = Buffer.from(payload, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", derivedKey(PURPOSE), bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
}
