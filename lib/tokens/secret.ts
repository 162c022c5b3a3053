import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { TOKEN_PREFIX } from "./schema";

const RANDOM_BYTES = 32;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CHECKSUM_CHARS = 6;
/** `tsk_pat_`, 43 base64url characters of randomness (256 bits), then a 6-character base62 CRC32 of both. */
const SECRET_PATTERN = new RegExp(`^${TOKEN_PREFIX}([A-Za-z0-9_-]{43})([0-9A-Za-z]{${CHECKSUM_CHARS}})$`);

/** As GitHub's tokens do: a scanner (or this server) can tell a real token from a typo or noise without a lookup. */
function checksum(body: string): string {
  let value = crc32(`${TOKEN_PREFIX}${body}`);
  let digits = "";
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    digits = BASE62[value % 62] + digits;
    value = Math.floor(value / 62);
  }
  return digits;
}

export function generateSecret(): string {
  const body = randomBytes(RANDOM_BYTES).toString("base64url");
  return `${TOKEN_PREFIX}${body}${checksum(body)}`;
}

/** Whether a string has a personal token's shape (the prefix); it may still be malformed. */
export const looksLikePersonalToken = (value: string): boolean => value.startsWith(TOKEN_PREFIX);

/** The prefix, the length, the alphabet and the checksum all hold. */
export function isWellFormedSecret(secret: string): boolean {
  const match = secret.match(SECRET_PATTERN);
  return match !== null && checksum(match[1] ?? "") === match[2];
}

/** What is stored and looked up: the secret has 256 random bits, so a plain SHA-256 is as good as a slow hash. */
export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** Shown in lists to tell tokens apart; four characters of a 49-character secret give nothing away. */
export const secretHint = (secret: string): string => secret.slice(-4);
