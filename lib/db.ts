import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "./env";
import { PrismaClient } from "./generated/prisma/client";
import { requestContext } from "./http/request-context";
import { log } from "./log";

// Bounded waits, so an unreachable or stuck database becomes a prompt 503 instead of a hang (no request waits on the
// database much longer than one of these; see docs/decisions/0010-database-outages.md).
/** Opening a connection (TCP, TLS, startup and authentication), or waiting for a free one in the pool. */
const CONNECT_TIMEOUT_MS = 5_000;
/**
 * A statement's answer. Client-side, because a silent server (a partition, a suspended compute) never answers a
 * server-side statement_timeout either, and because poolers such as PgBouncer refuse statement_timeout as a startup
 * parameter. The connection is discarded afterwards, not reused.
 */
const QUERY_TIMEOUT_MS = 5_000;
/** Keepalive probes on idle pooled connections, so that middleboxes keep them and a dead peer is noticed. */
const KEEPALIVE_DELAY_MS = 10_000;

function createClient(): PrismaClient {
  const { DATABASE_URL, DATABASE_POOL_MAX } = env();
  // @prisma/adapter-pg listens for the pool's "error" event: a pooled connection the server ends while it is idle (a
  // restart, pg_terminate_backend) is dropped and replaced when next needed, without crashing the process.
  const adapter = new PrismaPg({
    connectionString: DATABASE_URL,
    max: DATABASE_POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
  });
  const client = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  const { SLOW_QUERY_MS } = env();
  client.$on("query", (event) => {
    if (event.duration < SLOW_QUERY_MS) return;
    // The statement with its placeholders, never `event.params`: the values are people's data.
    log("warn", "slow query", {
      request_id: requestContext()?.requestId ?? null,
      duration_ms: event.duration,
      query: event.query,
    });
  });
  return client;
}

// One client per process, surviving Next's hot reloads in development.
const holder = globalThis as typeof globalThis & { prismaClient?: PrismaClient };

export function db(): PrismaClient {
  holder.prismaClient ??= createClient();
  return holder.prismaClient;
}
