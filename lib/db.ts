import "server-only";
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "./env";
import { type Prisma, PrismaClient } from "./generated/prisma/client";
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

function logSlowQuery(text: string, durationMs: number, requestId: string | undefined) {
  // The statement with its placeholders, never its values: they are people's data.
  log("warn", "slow query", {
    request_id: requestId ?? null,
    duration_ms: Math.round(durationMs),
    query: text,
  });
}

/**
 * A pool connection that times its statements and logs those slower than SLOW_QUERY_MS. Timed here, where the
 * statement is sent, rather than through Prisma's query events, which serialise every statement's parameters.
 */
function timedClient(slowQueryMs: number): typeof pg.Client {
  return class TimedClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this passes them all through.
    override query(...args: any[]): any {
      const started = performance.now();
      const text: unknown = typeof args[0] === "string" ? args[0] : args[0]?.text;
      // Read now: the answer arrives in the context of whoever opened the connection.
      const requestId = requestContext()?.requestId;
      const done = () => {
        const duration = performance.now() - started;
        if (duration >= slowQueryMs && typeof text === "string") logSlowQuery(text, duration, requestId);
      };
      // pg-pool's own query() passes a callback; the adapter's transactions await a promise.
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === "function") {
        args[last] = (...results: unknown[]) => {
          done();
          return callback(...results);
        };
      }
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      const result = (super.query as (...a: any[]) => any)(...args);
      if (result instanceof Promise) result.then(done, done);
      return result;
    }
  };
}

/**
 * pg-pool hands a connection to whoever waits for one from the request that frees it: bound here, each waiter's
 * callback runs in its own request's context, so the slow-query log names the right request.
 */
class RequestBoundPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: connect() is overloaded (a promise, or a callback).
  override connect(callback?: any): any {
    return callback ? super.connect(AsyncResource.bind(callback)) : super.connect();
  }
}

function createClient(): PrismaClient {
  const { DATABASE_URL, DATABASE_POOL_MAX, SLOW_QUERY_MS } = env();
  // @prisma/adapter-pg listens for the pool's "error" event: a pooled connection the server ends while it is idle (a
  // restart, pg_terminate_backend) is dropped and replaced when next needed, without crashing the process.
  const pool = new RequestBoundPool({
    connectionString: DATABASE_URL,
    max: DATABASE_POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    Client: timedClient(SLOW_QUERY_MS),
  });
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}

// One client per process, surviving Next's hot reloads in development.
const holder = globalThis as typeof globalThis & { prismaClient?: PrismaClient };

/**
 * The pool's client, outside any transaction: for what must not join a request's (Better Auth, which runs its own;
 * the rate-limit counters, which a long transaction would hold).
 */
export function rootClient(): PrismaClient {
  holder.prismaClient ??= createClient();
  return holder.prismaClient;
}

/** What the repositories query through: the process's pool, or the transaction the caller is in. */
export type DbClient = Prisma.TransactionClient;

type AmbientTransaction = { client: DbClient; savepoints: number };

// The transaction a request's writes run in, when something around them opened one (an Idempotency-Key's claim, an
// atomic batch): the repositories' queries join it through db() without taking a client parameter
// (docs/decisions/0020-idempotency-and-batch.md).
const ambient = new AsyncLocalStorage<AmbientTransaction>();

/** The database client: the current transaction's (see transaction()), else the pool. */
export function db(): DbClient {
  return ambient.getStore()?.client ?? rootClient();
}

type TransactionOptions = { maxWait?: number; timeout?: number };

/**
 * Runs `work` in a transaction: a new one, or, inside one already, a savepoint of it, so a failure undoes only what
 * `work` wrote and the caller may go on (store a 4xx answer, apply the next operation). Whatever `work` calls through
 * db() runs in it.
 */
export async function transaction<T>(work: (client: DbClient) => Promise<T>, options?: TransactionOptions): Promise<T> {
  const current = ambient.getStore();
  if (!current) {
    return rootClient().$transaction((client) => ambient.run({ client, savepoints: 0 }, () => work(client)), options);
  }
  const savepoint = `nested_${current.savepoints + 1}`;
  await current.client.$executeRawUnsafe(`SAVEPOINT ${savepoint}`);
  let result: T;
  try {
    result = await ambient.run({ client: current.client, savepoints: current.savepoints + 1 }, () =>
      work(current.client),
    );
  } catch (error) {
    // A connection that failed cannot roll back either; the original failure is the one to report.
    await current.client.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => {});
    throw error;
  }
  await current.client.$executeRawUnsafe(`RELEASE SAVEPOINT ${savepoint}`);
  return result;
}

/**
 * Runs `work` so that its failure undoes only its own writes: a savepoint inside a transaction; outside one, `work`
 * as it is (its statements commit as they go, as a single request's do).
 */
export function undoableAlone<T>(work: () => Promise<T>): Promise<T> {
  return ambient.getStore() ? transaction(work) : work();
}

/**
 * Holds, until the transaction ends, the lock on one kind of a user's creations (`lists`, `webhooks`, `tokens`):
 * one at a time per user, so a count stays true until the insert. An advisory lock, not a lock on the user's row,
 * which would hold up that user's task writes.
 */
export async function lockUsersCreations(tx: DbClient, kind: string, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${kind}:${userId}`}, 0))`;
}
