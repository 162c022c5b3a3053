import "server-only";
import { LISTENER_APPLICATION_NAME, type TokenWatcher, watchTokenRevocations } from "../changes/listener";
import { db } from "../db";
import { log } from "../log";
import type { TokenScope } from "./schema";
import { hashSecret, isWellFormedSecret } from "./secret";

/** A personal token that stands: whose it is, what it may do, and until when. */
export type VerifiedPersonalToken = { id: string; userId: string; scope: TokenScope; expiresAtMs: number | null };

export type PersonalTokenCheck =
  | { ok: true; token: VerifiedPersonalToken }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" }
  | { ok: false; reason: "expired"; expiredAt: Date };

const CACHE_MAX = 10_000;
/** An entry unused this long is dropped; an empty cache lets the instance's listening connection close. */
const IDLE_MS = 10 * 60_000;
const SWEEP_MS = 60_000;
/** How long a revocation here waits for every instance's acknowledgement (ADR 0019), at most. */
const ACK_WAIT_MS = 2_000;
const ACKS_MAX = 1_000;

type Entry = { token: VerifiedPersonalToken; usedAt: number };
type Lookup = { generation: number; result: Promise<PersonalTokenCheck> };

/**
 * Verified personal tokens by their secret's hash, so that a token's steady state costs no round-trip (ADR 0019).
 * Trusted only while the listener is known to hear revocations (its own ping came back): they are pushed by the
 * trigger's NOTIFY at commit and drop the entry. Losing the connection empties the cache. The generation grows with
 * every revocation heard and every loss, and a lookup that raced one is not cached. Without trust every request
 * looks its token up: one indexed SELECT.
 */
class PersonalTokenCache implements TokenWatcher {
  readonly #entries = new Map<string, Entry>();
  readonly #lookups = new Map<string, Lookup>();
  /** Which instances acknowledged each recent revocation, and the revocations of this instance waiting for them. */
  readonly #acks = new Map<string, Set<string>>();
  readonly #ackWaiters = new Map<string, (timedOut?: boolean) => void>();
  #generation = 0;
  #hearing = false;
  /** Whether the listener is known to hear nothing (the embedded database): no one to tell, nothing to wait for. */
  #unheard = false;
  readonly #settling = new Set<() => void>();
  #unwatch: (() => void) | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;

  async check(secret: string): Promise<PersonalTokenCheck> {
    if (!isWellFormedSecret(secret)) return { ok: false, reason: "malformed" };
    const hash = hashSecret(secret);
    const cached = this.#hearing ? this.#entries.get(hash) : undefined;
    const check = cached ? ({ ok: true, token: cached.token } as const) : await this.#lookUp(hash);
    if (cached) cached.usedAt = Date.now();
    if (check.ok && check.token.expiresAtMs !== null && check.token.expiresAtMs <= Date.now()) {
      return { ok: false, reason: "expired", expiredAt: new Date(check.token.expiresAtMs) };
    }
    return check;
  }

  /** Concurrent requests with one token share one read, unless a revocation was heard since it began. */
  #lookUp(hash: string): Promise<PersonalTokenCheck> {
    this.#watch();
    const pending = this.#lookups.get(hash);
    if (pending && pending.generation === this.#generation) return pending.result;
    const generation = this.#generation;
    const trusted = this.#hearing;
    const result = readToken(hash).then((check) => {
      if (check.ok && trusted && this.#hearing && generation === this.#generation) this.#put(hash, check.token);
      return check;
    });
    const lookup = { generation, result };
    this.#lookups.set(hash, lookup);
    const done = () => {
      if (this.#lookups.get(hash) === lookup) this.#lookups.delete(hash);
    };
    result.then(done, done);
    return result;
  }

  #put(hash: string, token: VerifiedPersonalToken) {
    if (this.#entries.size >= CACHE_MAX) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(hash, { token, usedAt: Date.now() });
  }

  /** This instance's own revocation: effective here before its notification comes back. */
  forget(hash: string) {
    this.#generation += 1;
    this.#entries.delete(hash);
  }

  /**
   * This instance's own revocation, after its commit: effective here at once, and resolved once every instance
   * listening to this database (pg_stat_activity's listener connections) has acknowledged dropping the token, so the
   * revoking request answers only when the token is refused everywhere. A listener not yet known to hear (this
   * instance had no token traffic) is started and, once it hears, the revocation is announced again.
   */
  async revokedHere(hash: string): Promise<void> {
    this.forget(hash);
    if (this.#unheard) return;
    try {
      await this.#untilAcknowledged(hash);
    } catch (error) {
      // Committed all the same: the others hear the trigger's notification; only the wait for them is cut short.
      log("warn", "token revocation not confirmed", { cause: error instanceof Error ? error.message : String(error) });
    }
  }

  async #untilAcknowledged(hash: string): Promise<void> {
    if (!this.#hearing) {
      this.#watch();
      await this.#settled();
      if (!this.#hearing) return;
      this.#acks.delete(hash);
      await announceRevocation(hash);
    }
    const listeners = await listenerCount();
    const acknowledged = this.#acks.get(hash)?.size ?? 0;
    if (acknowledged >= listeners) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#ackWaiters.get(hash)?.(true), ACK_WAIT_MS);
      this.#ackWaiters.set(hash, (timedOut = false) => {
        if (!timedOut && (this.#acks.get(hash)?.size ?? 0) < listeners) return;
        clearTimeout(timer);
        this.#ackWaiters.delete(hash);
        resolve();
      });
    });
    const acks = this.#acks.get(hash)?.size ?? 0;
    if (acks < listeners) log("warn", "token revocation not acknowledged by every instance", { listeners, acks });
  }

  acknowledged(hash: string, listenerId: string) {
    let acks = this.#acks.get(hash);
    if (!acks) {
      if (this.#acks.size >= ACKS_MAX) this.#acks.clear();
      acks = new Set();
      this.#acks.set(hash, acks);
    }
    acks.add(listenerId);
    this.#ackWaiters.get(hash)?.();
  }

  /** Until the listener is known to hear or not to hear, at most ACK_WAIT_MS. */
  #settled(): Promise<void> {
    if (this.#hearing || this.#unheard) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ACK_WAIT_MS);
      const settling = this.#settling;
      function done() {
        clearTimeout(timer);
        settling.delete(done);
        resolve();
      }
      settling.add(done);
    });
  }

  #settle() {
    for (const done of [...this.#settling]) done();
  }

  revoked(hash: string) {
    this.forget(hash);
  }

  hearing() {
    this.#hearing = true;
    this.#unheard = false;
    this.#settle();
  }

  unheard() {
    this.#unheard = true;
    this.#settle();
  }

  deaf() {
    this.#hearing = false;
    this.#unheard = false;
    this.#generation += 1;
    this.#entries.clear();
  }

  #watch() {
    if (this.#unwatch) return;
    this.#unwatch = watchTokenRevocations(this);
    this.#sweepTimer = setInterval(() => this.#sweep(), SWEEP_MS).unref();
  }

  #sweep() {
    const cutoff = Date.now() - IDLE_MS;
    for (const [hash, entry] of this.#entries) if (entry.usedAt < cutoff) this.#entries.delete(hash);
    if (this.#entries.size > 0 || this.#lookups.size > 0) return;
    clearInterval(this.#sweepTimer);
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.deaf();
  }
}

/** What the trigger sends, sent again: for a revocation committed before this instance's listener was listening. */
async function announceRevocation(secretHash: string): Promise<void> {
  await db().$executeRaw`SELECT pg_notify('taskapp_tokens', ${secretHash})`;
}

/** The instances listening to this database now: one listening connection each (lib/changes/listener.ts). */
async function listenerCount(): Promise<number> {
  const [row] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${LISTENER_APPLICATION_NAME}`;
  return row?.n ?? 0;
}

/** One indexed SELECT by the secret's hash. */
async function readToken(secretHash: string): Promise<PersonalTokenCheck> {
  const row = await db().personalAccessToken.findUnique({
    where: { secretHash },
    select: { id: true, userId: true, scope: true, expiresAt: true, revokedAt: true },
  });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  return {
    ok: true,
    token: {
      id: row.id,
      userId: row.userId,
      scope: row.scope as TokenScope,
      expiresAtMs: row.expiresAt?.getTime() ?? null,
    },
  };
}

// One per process, surviving Next's hot reloads in development.
const holder = globalThis as typeof globalThis & { personalTokenCache?: PersonalTokenCache };
const cache = (): PersonalTokenCache => {
  holder.personalTokenCache ??= new PersonalTokenCache();
  return holder.personalTokenCache;
};

/** Whether a personal token's secret stands: well formed, known, not revoked, not expired. */
export const checkPersonalToken = (secret: string): Promise<PersonalTokenCheck> => cache().check(secret);

/** Drops a token this instance revoked from its cache, and waits (briefly) until the other instances have heard. */
export const forgetRevokedToken = (secretHash: string): Promise<void> => cache().revokedHere(secretHash);
