import "server-only";
import { randomUUID } from "node:crypto";
import { after } from "next/server";
import { toChangeEvent } from "../changes/rows";
import { db } from "../db";
import { env } from "../env";
import { log } from "../log";
import { SEND_TIMEOUT_MS, type WebhookPayload } from "./schema";
import { decryptSecret } from "./secret";
import { postJson, type SendOutcome } from "./send";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";

/** Deliveries a sender has in flight at most. */
const BATCH = 20;
/**
 * How long a claim holds: well past an attempt's timeout, so a sender that died mid-attempt gives its deliveries
 * back to the others after this, and a live one always records its outcome first.
 */
const LEASE_MS = 6 * SEND_TIMEOUT_MS;
/** A run stops claiming after this (on Vercel, an `after()` must end); a kick or the sweep starts the next. */
const RUN_BUDGET_MS = 30_000;

type Claimed = {
  id: string;
  lease_id: string;
  endpoint_id: string;
  attempts: number;
  url: string;
  secret: string;
  seq: bigint;
  type: string;
  object_id: string;
  data: unknown;
  occurred_at: Date;
};

/**
 * At most this many of one endpoint's deliveries in flight (counted across instances when claiming): a receiver is
 * not flooded, and a slow or dead one cannot take every sending slot from the others.
 */
const PER_ENDPOINT = 5;
/** The oldest due deliveries a claim chooses its batch among. */
const CANDIDATES = 10 * BATCH;

/**
 * Claims up to `limit` due deliveries of enabled endpoints, oldest due first, leaving out any that would put more than
 * PER_ENDPOINT of an endpoint's deliveries in flight:
 * `FOR UPDATE SKIP LOCKED`, so concurrent senders (other instances, the cron route) each get other rows, and a lease
 * (next_attempt_at moved past it, with a lease id), so a row stays claimed after this statement commits, while it is
 * being sent. The locking level repeats the due condition: a row another sender claimed and committed meanwhile is
 * re-checked there and left out.
 */
function claim(limit: number): Promise<Claimed[]> {
  const leaseId = randomUUID();
  return db().$queryRaw<Claimed[]>`
    WITH candidates AS (
      SELECT id, endpoint_id, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at) AS place
      FROM (
        SELECT d.id, d.endpoint_id, d.next_attempt_at FROM webhook_deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
        WHERE d.state = 'pending' AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at
        LIMIT ${CANDIDATES}::int
      ) oldest
    ),
    in_flight AS (
      SELECT d.endpoint_id, count(*) AS n FROM webhook_deliveries d
      WHERE d.endpoint_id IN (SELECT endpoint_id FROM candidates)
        AND d.state = 'pending' AND d.lease_id IS NOT NULL AND d.next_attempt_at > now()
      GROUP BY d.endpoint_id
    ),
    due AS (
      SELECT d.id FROM webhook_deliveries d
      WHERE d.id IN (
          SELECT c.id FROM candidates c LEFT JOIN in_flight f ON f.endpoint_id = c.endpoint_id
          WHERE c.place + coalesce(f.n, 0) <= ${PER_ENDPOINT}::int
        )
        AND d.state = 'pending' AND d.next_attempt_at <= now()
      ORDER BY d.next_attempt_at
      LIMIT ${limit}::int
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d
    SET attempts = d.attempts + 1, lease_id = ${leaseId}::uuid,
        next_attempt_at = now() + ${LEASE_MS}::int * interval '1 millisecond'
    FROM due, webhook_endpoints e, changes c
    WHERE d.id = due.id AND e.id = d.endpoint_id AND c.user_id = d.user_id AND c.seq = d.seq
    RETURNING d.id::text, d.lease_id::text, e.id::text AS endpoint_id, d.attempts, e.url, e.secret, c.seq, c.type,
              c.object_id::text, c.data, c.created_at AS occurred_at`;
}

/** The JSON body: the feed's event as GET …/changes lists it, and when it committed. */
function payloadOf(delivery: Claimed): string {
  const event = toChangeEvent(delivery);
  const payload: WebhookPayload = { ...event, occurred_at: delivery.occurred_at.toISOString() };
  return JSON.stringify(payload);
}

/** Exponential backoff with jitter: base·2^(n−1), at most max, times a random factor in [0.5, 1). */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random = Math.random()): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempts - 1, 40));
  return Math.max(1, Math.round(ceiling * (0.5 + random / 2)));
}

async function record(delivery: Claimed, startedAt: Date, outcome: SendOutcome): Promise<void> {
  const attempt = {
    number: delivery.attempts,
    status: outcome.status,
    error: outcome.error,
    durationMs: outcome.durationMs,
  };
  if (outcome.error === null) {
    await db().$executeRaw`
      WITH done AS (
        UPDATE webhook_deliveries
        SET state = 'succeeded', last_status = ${attempt.status}::int, last_error = NULL, finished_at = now(),
            lease_id = NULL
        WHERE id = ${delivery.id}::uuid AND lease_id = ${delivery.lease_id}::uuid
        RETURNING id
      )
      INSERT INTO webhook_attempts (delivery_id, number, started_at, duration_ms, status, error)
      SELECT id, ${attempt.number}::int, ${startedAt}::timestamptz, ${attempt.durationMs}::int, ${attempt.status}::int, NULL
      FROM done`;
    return;
  }
  const { WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_MS, WEBHOOK_RETRY_WINDOW_MS } = env();
  const delayMs = retryDelayMs(attempt.number, WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_MS);
  // Retried until the window after the event's delivery was created has passed (one last try at its end); then the
  // delivery has failed, and the endpoint is disabled with the reason, as are its other pending deliveries.
  const disabled = await db().$queryRaw<{ id: string }[]>`
    WITH done AS (
      UPDATE webhook_deliveries d
      SET last_status = ${attempt.status}::int, last_error = left(${attempt.error}::text, 500), lease_id = NULL,
          state = CASE WHEN now() >= window_end THEN 'failed' ELSE 'pending' END,
          finished_at = CASE WHEN now() >= window_end THEN now() END,
          next_attempt_at = least(now() + ${delayMs}::int * interval '1 millisecond', window_end)
      FROM (SELECT id, created_at + ${WEBHOOK_RETRY_WINDOW_MS}::float8 * interval '1 millisecond' AS window_end
            FROM webhook_deliveries WHERE id = ${delivery.id}::uuid) w
      WHERE d.id = w.id AND d.lease_id = ${delivery.lease_id}::uuid
      RETURNING d.id, d.endpoint_id, d.state
    ),
    attempt AS (
      INSERT INTO webhook_attempts (delivery_id, number, started_at, duration_ms, status, error)
      SELECT id, ${attempt.number}::int, ${startedAt}::timestamptz, ${attempt.durationMs}::int, ${attempt.status}::int,
             left(${attempt.error}::text, 500)
      FROM done
    )
    UPDATE webhook_endpoints e
    SET enabled = false, disabled_at = now(), updated_at = now(),
        disabled_reason = left('Deliveries failed for ' || ${windowText(WEBHOOK_RETRY_WINDOW_MS)}::text ||
          '; the last attempt: ' || ${attempt.error ?? "no answer"}::text, 500)
    FROM done WHERE done.state = 'failed' AND e.id = done.endpoint_id AND e.enabled
    RETURNING e.id::text`;
  for (const { id } of disabled) {
    await db().$executeRaw`
      UPDATE webhook_deliveries SET state = 'failed', finished_at = now(),
             last_error = coalesce(last_error, 'the endpoint was disabled')
      WHERE endpoint_id = ${id}::uuid AND state = 'pending'`;
    log("warn", "webhook endpoint disabled", { webhook_id: id, delivery_id: delivery.id });
  }
}

function windowText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

async function deliver(delivery: Claimed): Promise<boolean> {
  const startedAt = new Date();
  let outcome: SendOutcome;
  try {
    const body = payloadOf(delivery);
    const timestamp = Math.floor(Date.now() / 1000);
    outcome = await postJson(
      delivery.url,
      body,
      {
        "Webhook-Id": delivery.id,
        "Webhook-Timestamp": String(timestamp),
        "Webhook-Event": delivery.type,
        [SIGNATURE_HEADER]: signatureHeader(decryptSecret(delivery.secret, delivery.endpoint_id), timestamp, body),
      },
      env().WEBHOOK_ALLOW_LOOPBACK,
    );
  } catch (error) {
    // A bug here (a secret that does not decrypt after BETTER_AUTH_SECRET changed): a failed attempt, and a log.
    log("error", "webhook delivery could not be prepared", {
      delivery_id: delivery.id,
      cause: error instanceof Error ? error.message : String(error),
    });
    outcome = { status: null, error: "the server could not prepare this delivery", durationMs: 0 };
  }
  try {
    await record(delivery, startedAt, outcome);
  } catch (error) {
    // The lease runs out and the delivery is sent again: at least once.
    log("warn", "webhook attempt could not be recorded", {
      delivery_id: delivery.id,
      cause: error instanceof Error ? error.message : String(error),
    });
  }
  return outcome.error === null;
}

export type DispatchResult = { sent: number; failed: number };

/**
 * Sends every due delivery, up to BATCH at once: whenever one is done (or `woken` resolves: a kick, new deliveries
 * recorded) it claims more, so a slow receiver holds up only its own deliveries. Ends when nothing is due and nothing
 * is in flight; after `deadline` (a Date.now() value) it claims no more and lets the ones in flight finish.
 */
export async function sendDueDeliveries({
  deadline = Number.POSITIVE_INFINITY,
  woken,
}: {
  deadline?: number;
  woken?: () => Promise<void>;
} = {}): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  for (;;) {
    if (Date.now() < deadline && inFlight.size < BATCH) {
      for (const delivery of await claim(BATCH - inFlight.size)) {
        const sending: Promise<void> = deliver(delivery).then((ok) => {
          result[ok ? "sent" : "failed"] += 1;
          inFlight.delete(sending);
        });
        inFlight.add(sending);
      }
    }
    if (inFlight.size === 0) return result;
    await Promise.race(woken ? [...inFlight, woken()] : inFlight);
  }
}

/** When the next pending delivery of an enabled endpoint is due, if any. */
async function nextDue(): Promise<Date | undefined> {
  const [row] = await db().$queryRaw<{ at: Date }[]>`
    SELECT d.next_attempt_at AS at FROM webhook_deliveries d
    JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
    WHERE d.state = 'pending' ORDER BY d.next_attempt_at LIMIT 1`;
  return row?.at;
}

/**
 * One dispatcher per process: a kick sends what is due (one run at a time; a kick during a run makes it claim again
 * at once, and run once more at its end), then, in a long-running server, sleeps until the next retry is due or WEBHOOK_SWEEP_MS, whichever is
 * sooner (an unref'd timer: it never keeps the process alive). On Vercel no timer is set: an instance is frozen
 * between requests; the cron route sends the retries.
 */
class Dispatcher {
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  /** A kick came since the running sender last asked: it claims again at once. */
  #kicked = false;
  #ring: (() => void) | undefined;

  kick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      this.#kicked = true;
      this.#ring?.();
      return this.#running;
    }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Resolves at the next kick (at once if one came meanwhile): the running sender then claims what it recorded. */
  #woken = (): Promise<void> => {
    if (this.#kicked) {
      this.#kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#ring = resolve;
    });
  };

  async #run() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    let wakeAt: Date | undefined;
    try {
      do {
        this.#again = false;
        await sendDueDeliveries({ deadline: Date.now() + RUN_BUDGET_MS, woken: this.#woken });
      } while (this.#again);
      wakeAt = await nextDue();
    } catch (error) {
      log("warn", "webhook dispatch failed", { cause: error instanceof Error ? error.message : String(error) });
    }
    const { VERCEL, WEBHOOK_SWEEP_MS } = env();
    if (VERCEL) return;
    const delay = Math.min(WEBHOOK_SWEEP_MS, Math.max(0, (wakeAt?.getTime() ?? Number.POSITIVE_INFINITY) - Date.now()));
    this.#timer = setTimeout(() => void this.kick(), delay).unref();
  }
}

const holder = globalThis as typeof globalThis & { webhookDispatcher?: Dispatcher };

/** Sends what is due now, in the background of this process; resolves when that run ends (it never rejects). */
export function kickWebhooks(): Promise<void> {
  holder.webhookDispatcher ??= new Dispatcher();
  return holder.webhookDispatcher.kick();
}

/**
 * After an API response has gone out (Next's `after`: on Vercel the function lives on until it is done): after a
 * write, sends the deliveries it recorded and any others due; after any other request, starts this process's
 * dispatcher if nothing has yet (a restarted server then sends what was left due, and sweeps from then on). Outside a
 * request (a script, an in-process test) it starts at once. Not started from instrumentation.ts: modules imported
 * there are other instances than the routes' (the database client would log queries without their request id).
 */
export function afterApiResponse({ wrote }: { wrote: boolean }): void {
  if (!wrote && holder.webhookDispatcher) return;
  try {
    after(kickWebhooks);
  } catch {
    void kickWebhooks();
  }
}
