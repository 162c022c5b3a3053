import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { type ExecProtocolOptionsStream, PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = { url: string; stop(): Promise<void> };

// Room for several pools at once (app, migrations, scripts): pglite-socket refuses extra connections with a bare text
// line that clients report as a protocol error, and idle connections cost nothing.
const MAX_CONNECTIONS = 100;

// Parse, Bind, Describe, Execute, Close and Flush: messages of an extended-query batch that only its Sync completes.
const EXTENDED_QUERY = new Set([..."PBDECH"].map((char) => char.charCodeAt(0)));

/**
 * pglite-socket queues every connection's messages onto PGlite's single session one by one, and keeps the session
 * for one connection only while a transaction is open. Concurrent Parse/Bind/Execute/Sync batches therefore
 * interleave and run each other's unnamed statement (electric-sql/pglite#1046). Reporting an unfinished batch as
 * a transaction makes the queue keep the session for its connection until the Sync.
 */
class SessionPinnedPGlite extends PGlite {
  #inBatch = false;

  override execProtocolRawStream(message: Uint8Array, options: ExecProtocolOptionsStream) {
    this.#inBatch = EXTENDED_QUERY.has(message[0] ?? 0);
    return super.execProtocolRawStream(message, options);
  }

  override isInTransaction() {
    return this.#inBatch || super.isInTransaction();
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Creates the data directory (PGlite creates only its last segment) and locks it: PGlite does not, and two
 * processes writing to it corrupt it. Returns the unlock function.
 */
async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = `${dataDir}.pid`;
  const owner = Number(await readFile(lockFile, "utf8").catch(() => ""));
  if (owner && isRunning(owner)) {
    throw new Error(`${dataDir} is in use by process ${owner} (delete ${lockFile} if that is wrong)`);
  }
  await writeFile(lockFile, String(process.pid));
  return () => rm(lockFile, { force: true });
}

/** PostgreSQL over the wire protocol on 127.0.0.1; in memory unless `dataDir` is given. Port 0 picks a free port. */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number }): Promise<EmbeddedPostgres> {
  const unlock = options.dataDir ? await claimDataDir(options.dataDir) : async () => {};
  // pg_trgm backs the tasks search index (see prisma/migrations).
  const db = new SessionPinnedPGlite({ dataDir: options.dataDir, extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: MAX_CONNECTIONS,
  });
  try {
    await db.waitReady;
    await server.start();
  } catch (error) {
    if (db.ready) await db.close();
    await unlock();
    throw error;
  }
  // PGlite has one database and one role, whatever the client asks for, and no TLS.
  const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
      await unlock();
    },
  };
}
