import "server-only";
import pg from "pg";
import { env } from "../env";
import { log } from "../log";

/** The channel the feed's triggers notify at commit, with the user's id as the payload (the change_notify migration). */
const CHANNEL = "taskapp_changes";
/** Named in pg_stat_activity, so an operator can count and tell apart the listening connections. */
const APPLICATION_NAME = "taskapp-listener";
const CONNECT_TIMEOUT_MS = 5_000;
const KEEPALIVE_DELAY_MS = 10_000;
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 15_000;
/** A serverless instance between two streams keeps its connection this long, not for as long as it lives. */
const IDLE_CLOSE_MS = 10_000;

type Wake = () => void;

/**
 * One LISTEN connection per process, however many streams are open: each stream subscribes with its user's id and
 * is woken when that user's feed may have grown. A wake is only a hint (the stream reads the feed table), so every
 * stream is also woken when the connection comes back after a loss, and every CHANGES_POLL_MS, which covers a
 * notification lost in between and databases that send none (PGlite over its socket).
 */
class ChangeListener {
  readonly #subscribers = new Map<string, Set<Wake>>();
  /** Connections this listener ended itself: their "end" is not a loss. */
  readonly #closed = new WeakSet<pg.Client>();
  #client: pg.Client | undefined;
  #connecting = false;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;

  subscribe(userId: string, wake: Wake): () => void {
    let wakes = this.#subscribers.get(userId);
    if (!wakes) {
      wakes = new Set();
      this.#subscribers.set(userId, wakes);
    }
    wakes.add(wake);
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#pollTimer ??= setInterval(() => this.#wakeAll(), env().CHANGES_POLL_MS).unref();
    if (!this.#client && !this.#retryTimer) void this.#connect();
    return () => this.#unsubscribe(userId, wake);
  }

  #unsubscribe(userId: string, wake: Wake) {
    const wakes = this.#subscribers.get(userId);
    wakes?.delete(wake);
    if (wakes?.size === 0) this.#subscribers.delete(userId);
    if (this.#subscribers.size > 0) return;
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
    this.#idleTimer ??= setTimeout(() => this.#close(), IDLE_CLOSE_MS).unref();
  }

  #wakeUser(userId: string) {
    for (const wake of this.#subscribers.get(userId) ?? []) wake();
  }

  #wakeAll() {
    for (const wakes of this.#subscribers.values()) for (const wake of wakes) wake();
  }

  async #connect() {
    if (this.#connecting) return;
    this.#connecting = true;
    const { CHANGES_LISTEN_URL, DATABASE_URL } = env();
    const client = new pg.Client({
      connectionString: CHANGES_LISTEN_URL ?? DATABASE_URL,
      application_name: APPLICATION_NAME,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
    client.on("notification", ({ payload }) => {
      if (payload) this.#wakeUser(payload);
    });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.#client = client;
      this.#failures = 0;
      // What committed while this instance was not listening.
      this.#wakeAll();
    } catch (error) {
      this.#lost(client, error);
      this.#end(client);
    } finally {
      this.#connecting = false;
    }
    if (this.#subscribers.size === 0) this.#close();
  }

  #lost(client: pg.Client, error?: unknown) {
    if (this.#closed.has(client)) return;
    if (this.#client === client) this.#client = undefined;
    if (this.#client || this.#subscribers.size === 0 || this.#retryTimer) return;
    this.#failures += 1;
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (this.#failures - 1));
    log("warn", "change listener lost its connection", {
      retry_in_ms: delay,
      cause: error instanceof Error ? error.message : "the server ended it",
    });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#subscribers.size > 0 && !this.#client) void this.#connect();
    }, delay).unref();
  }

  #close() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#client) this.#end(this.#client);
    this.#client = undefined;
  }

  #end(client: pg.Client) {
    this.#closed.add(client);
    client.end().catch(() => {});
  }
}

// One per process, surviving Next's hot reloads in development.
const holder = globalThis as typeof globalThis & { changeListener?: ChangeListener };

/** Calls `wake` whenever `userId`'s feed may have new events; returns the unsubscribe function. */
export function subscribeToChanges(userId: string, wake: Wake): () => void {
  holder.changeListener ??= new ChangeListener();
  return holder.changeListener.subscribe(userId, wake);
}
