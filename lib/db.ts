import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "./env";
import { PrismaClient } from "./generated/prisma/client";

// Bounded waits, so an unreachable or stuck database becomes a prompt 503 instead of a hang.
const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 15_000;

function createClient(): PrismaClient {
  const { DATABASE_URL, DATABASE_POOL_MAX } = env();
  const adapter = new PrismaPg({
    connectionString: DATABASE_URL,
    max: DATABASE_POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  return new PrismaClient({ adapter });
}

// One client per process, surviving Next's hot reloads in development.
const holder = globalThis as typeof globalThis & { prismaClient?: PrismaClient };

export function db(): PrismaClient {
  holder.prismaClient ??= createClient();
  return holder.prismaClient;
}
