import "server-only";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { db } from "../db";
import { env } from "../env";
import { log } from "../log";
import { latestEvents } from "./feed";

/** The channel the feed's triggers notify at commit, with the user's id as the payload (the change_notify migration). */
const CHANNEL = "taskapp_changes";
/** Revoked personal tokens, by their secret's hash (the personal_access_tokens migration); and this listener's ping. */
const TOKEN_CHANNEL = "taskapp_tokens";
/** Named in pg_stat_activity, so an operator can count and tell apart the listening connections. */
export const LISTENER_APPLICATION_NAME = "taskapp-listener";
const CONNECT_TIMEOUT_MS = 5_000;
const KEEPALIVE_DELAY_MS = 10_000;
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 15_000;
/** A serverless instance between two streams keeps its connection this long, not for as long as it lives. */
const IDLE_CLOSE_MS = 10_000;

/** A stream: where it is in its user's feed, and how to make it read on. */
export type Subscriber = { wake(): void; position(): bigint };

/**
 * The personal-token cache (lib/tokens/verify.ts): told each revoked token's hash, when this connection is known to
 * hear notifications (its own ping came back), and when it may have missed some (the connection was lost).
 */
export type TokenWatcher = {
  /** Dropped from the cache: this listener then acknowledges it to the revoking instance. */
  revoked(secretHash: string): void;
  /** An instance (`listenerId`) has dropped a revoked token from its cache. */
  acknowledged(secretHash: string, listenerId: string): void;
  hearing(): void;
  /** The connection was lost or closed: notifications may have been missed. */
  deaf(): void;
  /** The ping never came back: this connection hears none (the embedded database), and will not. */
  unheard(): void;
};
const ACK_PREFIX = "ack:";
/** This process's listener, in the acknowledgements it sends. */
const listenerId = randomUUID();
/** A ping not back by then is taken as a database that delivers no notifications. */
const PING_TIMEOUT_MS = 2_000;

/**
 * One LISTEN connection per process, however many streams are open: each stream subscribes with its user's id and
 * is woken when that user's feed may have grown. A wake is only a hint (the stream reads the feed table), so every
 * stream is also woken when the connection comes back after a loss; and every CHANGES_POLL_MS one query of the
 * subscribed users' latest events wakes the streams behind them, which covers a notification lost in between and
 * databases that send none (PGlite over its socket). The same connection hears of revoked personal tokens, and stays
 * open while the token cache holds any (ADR 0019).
 */
class ChangeListener {
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  readonly #tokenWatchers = new Set<TokenWatcher>();
  /** The payload of the ping this connection sent itself; once it is heard, notifications are known to arrive. */
  #ping: string | undefined;
  #hearing = false;
  #unheard = false;
  #pingTimer: NodeJS.Timeout | undefined;
  /** Connections this listener ended itself: their "end" is not a loss. */
  readonly #closed = new WeakSet<pg.Client>();
  #client: pg.Client | undefined;
  #connecting = false;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #polling = false;

  subscribe(userId: string, subscriber: Subscriber): () => void {
    let subscribers = this.#subscribers.get(userId);
    if (!subscribers) {
      subscribers = new Set();
      this.#subscribers.set(userId, subscribers);
    }
    subscribers.add(subscriber);
    this.#pollTimer ??= setInterval(() => void this.#poll(), env().CHANGES_POLL_MS).unref();
    this.#open();
    return () => this.#unsubscribe(userId, subscriber);
  }

  /** Keeps the connection open while the watcher holds cached tokens; it hears at once if they can be trusted. */
  watchTokens(watcher: TokenWatcher): () => void {
    this.#tokenWatchers.add(watcher);
    this.#open();
    if (this.#hearing) watcher.hearing();
    else if (this.#unheard) watcher.unheard();
    return () => {
      this.#tokenWatchers.delete(watcher);
      this.#closeWhenIdle();
    };
  }

  get #active(): boolean {
    return this.#subscribers.size > 0 || this.#tokenWatchers.size > 0;
  }

  #open() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (!this.#client && !this.#retryTimer) void this.#connect();
  }

  #unsubscribe(userId: string, subscriber: Subscriber) {
    const subscribers = this.#subscribers.get(userId);
    subscribers?.delete(subscriber);
    if (subscribers?.size === 0) this.#subscribers.delete(userId);
    if (this.#subscribers.size > 0) return;
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
    this.#closeWhenIdle();
  }

  #closeWhenIdle() {
    if (this.#active) return;
    this.#idleTimer ??= setTimeout(() => this.#close(), IDLE_CLOSE_MS).unref();
  }

  #onTokenNotification(client: pg.Client, payload: string) {
    if (payload === this.#ping) {
      clearTimeout(this.#pingTimer);
      this.#hearing = true;
      this.#unheard = false;
      for (const watcher of this.#tokenWatchers) watcher.hearing();
    } else if (payload.startsWith(ACK_PREFIX)) {
      const [hash = "", listenerId = ""] = payload.slice(ACK_PREFIX.length).split(":");
      for (const watcher of this.#tokenWatchers) watcher.acknowledged(hash, listenerId);
    } else if (!payload.startsWith("ping:")) {
      for (const watcher of this.#tokenWatchers) watcher.revoked(payload);
      // Every instance says it has dropped the token, so the revoking request can answer once all have.
      client.query("SELECT pg_notify($1, $2)", [TOKEN_CHANNEL, `${ACK_PREFIX}${payload}:${listenerId}`]).catch(() => {
        // A lost connection: the revoking instance stops waiting after its bound, and this one's cache is emptied.
      });
    }
  }

  #deafen() {
    clearTimeout(this.#pingTimer);
    this.#ping = undefined;
    if (!this.#hearing) return;
    this.#hearing = false;
    for (const watcher of this.#tokenWatchers) watcher.deaf();
  }

  #wakeUser(userId: string) {
    for (const subscriber of this.#subscribers.get(userId) ?? []) subscriber.wake();
  }

  #wakeAll() {
    for (const subscribers of this.#subscribers.values()) for (const subscriber of subscribers) subscriber.wake();
  }

  /** One query for every subscribed user; only the streams behind their user's latest event read the feed. */
  async #poll() {
    if (this.#polling || this.#subscribers.size === 0) return;
    this.#polling = true;
    try {
      for (const { user_id, latest } of await latestEvents([...this.#subscribers.keys()])) {
        for (const subscriber of this.#subscribers.get(user_id) ?? []) {
          if (subscriber.position() < latest) subscriber.wake();
        }
      }
    } catch (error) {
      // The streams meet the outage themselves at their next read; the next poll tries again.
      log("warn", "change poll failed", { cause: error instanceof Error ? error.message : String(error) });
    } finally {
      this.#polling = false;
    }
  }

  async #connect() {
    if (this.#connecting) return;
    this.#connecting = true;
    const { CHANGES_LISTEN_URL, DATABASE_URL } = env();
    const client = new pg.Client({
      connectionString: CHANGES_LISTEN_URL ?? DATABASE_URL,
      application_name: LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
    client.on("notification", ({ channel, payload }) => {
      if (!payload) return;
      if (channel === TOKEN_CHANNEL) this.#onTokenNotification(client, payload);
      else this.#wakeUser(payload);
    });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      await client.query(`LISTEN ${TOKEN_CHANNEL}`);
      this.#client = client;
      this.#failures = 0;
      // What committed while this instance was not listening.
      this.#wakeAll();
      // Sent the way revocations are (through the pool, to the database the app writes), so hearing it proves they
      // reach this connection: not with CHANGES_LISTEN_URL on another database, nor on the embedded one (no NOTIFY).
      const ping = `ping:${randomUUID()}`;
      this.#ping = ping;
      this.#pingTimer = setTimeout(() => {
        if (this.#ping !== ping || this.#hearing) return;
        this.#unheard = true;
        for (const watcher of this.#tokenWatchers) watcher.unheard();
      }, PING_TIMEOUT_MS).unref();
      await db().$executeRaw`SELECT pg_notify(${TOKEN_CHANNEL}, ${ping})`;
    } catch (error) {
      this.#lost(client, error);
      this.#end(client);
    } finally {
      this.#connecting = false;
    }
    if (!this.#active) this.#close();
  }

  #lost(client: pg.Client, error?: unknown) {
    if (this.#closed.has(client)) return;
    if (this.#client === client) {
      this.#client = undefined;
      this.#deafen();
    }
    if (this.#client || !this.#active || this.#retryTimer) return;
    this.#failures += 1;
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (this.#failures - 1));
    log("warn", "change listener lost its connection", {
      retry_in_ms: delay,
      cause: error instanceof Error ? error.message : "the server ended it",
    });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#active && !this.#client) void this.#connect();
    }, delay).unref();
  }

  #close() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#client) this.#end(this.#client);
    this.#client = undefined;
    this.#deafen();
  }

  #end(client: pg.Client) {
    this.#closed.add(client);
    client.end().catch(() => {});
  }
}

// One per process, surviving Next's hot reloads in development.
const holder = globalThis as typeof globalThis & { changeListener?: ChangeListener };

const listener = (): ChangeListener => {
  holder.changeListener ??= new ChangeListener();
  return holder.changeListener;
};

/** Wakes `subscriber` whenever `userId`'s feed may have events after its position; returns the unsubscribe function. */
export function subscribeToChanges(userId: string, subscriber: Subscriber): () => void {
  return listener().subscribe(userId, subscriber);
}

/** Tells `watcher` of revoked personal tokens, and whether it can trust it hears of them; returns the unwatch function. */
export function watchTokenRevocations(watcher: TokenWatcher): () => void {
  return listener().watchTokens(watcher);
}
