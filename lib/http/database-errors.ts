// The shapes below were found by breaking a real database under the app (tests/http/database-outage.test.ts and
// docs/decisions/0010-database-outages.md). Through @prisma/adapter-pg a failure arrives as one of:
// - a PrismaClientKnownRequestError: P1001, P1017… for the failures the adapter names, P2010 (raw queries) or P2039
//   (model queries) for any other PostgreSQL error; the adapter's error is in `meta.driverAdapterError`, and its
//   `cause` holds `kind`, `originalCode` (the SQLSTATE) and, for PostgreSQL's own errors, `severity`;
// - node-postgres's own Error, passed through as is: "Connection terminated unexpectedly", "Connection terminated
//   due to connection timeout", "timeout exceeded when trying to connect", "Query read timeout";
// - either of those as the `cause` of another error (Better Auth's APIError, for one).

/** Prisma's codes for a database that cannot be reached, logged into, or kept talking to. */
const UNAVAILABLE_PRISMA_CODES = new Set([
  "P1000", // authentication failed
  "P1001", // can't reach the database server
  "P1002", // the server timed out
  "P1003", // the database does not exist
  "P1008", // operation timed out
  "P1010", // access denied
  "P1011", // TLS error
  "P1017", // the server closed the connection
  "P2024", // timed out waiting for a pooled connection
  "P2037", // too many connections
]);
/** The same failures as @prisma/adapter-pg names them (`meta.driverAdapterError.cause.kind`). */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  "AuthenticationFailed",
  "DatabaseNotReachable",
  "DatabaseDoesNotExist",
  "DatabaseAccessDenied",
  "SocketTimeout",
  "TlsConnectionError",
  "ConnectionClosed",
  "TooManyConnections",
]);
const UNAVAILABLE_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
/**
 * SQLSTATEs meaning the server cannot serve now, whatever the statement: class 08 (connection exception), 53
 * (insufficient resources, e.g. 53300 too many connections), 57P (operator intervention: 57P01 terminated by an
 * administrator, 57P02 crash, 57P03 cannot connect now, 57P04 database dropped), 57014 (statement cancelled, by a
 * statement timeout or an operator), 3D000 (no such database, e.g. while it is being restored) and 25006 (a write
 * on a read-only server: a standby still being promoted after a failover).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)|^(57014|3D000|25006)$/;
/** node-postgres's and pg-pool's messages for a connection that failed, timed out or was cut. */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|timeout expired|Client has encountered a connection error)/i;

/** Prisma's P2028 ("Transaction API error") when no connection came for the transaction in time (`maxWait`). */
const NO_TRANSACTION_MESSAGE = /Unable to start a transaction in the given time/;

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  severity?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

function isUnavailable(error: ErrorLike): boolean {
  if (error.name === "PrismaClientInitializationError") return true;
  const { code, kind, originalCode, severity, message } = error;
  if (typeof code === "string" && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) {
    return true;
  }
  if (typeof kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
  const sqlState = typeof originalCode === "string" ? originalCode : undefined;
  if (sqlState && (UNAVAILABLE_SQLSTATE.test(sqlState) || UNAVAILABLE_SOCKET_CODES.has(sqlState))) return true;
  // FATAL ends the session: PostgreSQL refused or dropped the connection, whatever the code (e.g. 55000 "database
  // is not currently accepting connections" while connecting, which is an ordinary error in a statement).
  if (severity === "FATAL" || severity === "PANIC") return true;
  if (code === "P2028" && typeof message === "string" && NO_TRANSACTION_MESSAGE.test(message)) return true;
  return typeof message === "string" && UNAVAILABLE_MESSAGE.test(message);
}

/** True when a failure means the database cannot be reached (503), as opposed to a bug (500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 12; seen++) {
    const current = pending.shift();
    if (!current || typeof current !== "object") continue;
    const candidate = current as ErrorLike;
    if (isUnavailable(candidate)) return true;
    pending.push(candidate.cause, candidate.meta?.driverAdapterError);
  }
  return false;
}

/** True when a database error names this constraint (Prisma's message quotes it, whatever the error's kind). */
export function violatesConstraint(error: unknown, constraint: string): boolean {
  const { message } = error as ErrorLike;
  return typeof message === "string" && message.includes(constraint);
}

/** Prisma's P2025: the WHERE of an update matched no row. */
export const isRecordNotFound = (error: unknown) => (error as ErrorLike).code === "P2025";

/** The adapter's account of a raw query's failure (Prisma's P2010): `kind`, `originalCode` (the SQLSTATE)… */
function rawQueryCause(error: unknown): ErrorLike | undefined {
  const { code, meta } = error as ErrorLike;
  return code === "P2010" ? ((meta?.driverAdapterError as ErrorLike | undefined)?.cause as ErrorLike) : undefined;
}

/** A foreign key names a row that is not there: Prisma's P2003, or SQLSTATE 23503 from a raw query. */
export const violatesForeignKey = (error: unknown) =>
  (error as ErrorLike).code === "P2003" || rawQueryCause(error)?.originalCode === "23503";

/** SQLSTATE 55P03: a statement waited longer than `lock_timeout` for a row another transaction holds. */
export const isLockTimeout = (error: unknown) => rawQueryCause(error)?.originalCode === "55P03";
