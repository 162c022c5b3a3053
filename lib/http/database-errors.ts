const UNREACHABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNREACHABLE_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
// PostgreSQL SQLSTATE classes 08 (connection exception) and 57P (operator intervention, e.g. shutdown).
const UNREACHABLE_SQLSTATE = /^(08|57P)/;

type ErrorLike = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };

/** True when a failure means the database cannot be reached (503), as opposed to a bug (500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error as ErrorLike | undefined, depth = 0; current && depth < 6; depth++) {
    if (current.name === "PrismaClientInitializationError") return true;
    const code = typeof current.code === "string" ? current.code : undefined;
    const originalCode = typeof current.originalCode === "string" ? current.originalCode : undefined;
    if (code && (UNREACHABLE_PRISMA_CODES.has(code) || UNREACHABLE_SOCKET_CODES.has(code))) return true;
    if (originalCode && (UNREACHABLE_SQLSTATE.test(originalCode) || UNREACHABLE_SOCKET_CODES.has(originalCode)))
      return true;
    if (
      typeof current.message === "string" &&
      /timeout exceeded when trying to connect|Connection terminated|Query read timeout/i.test(current.message)
    ) {
      return true;
    }
    current = current.cause as ErrorLike | undefined;
  }
  return false;
}
