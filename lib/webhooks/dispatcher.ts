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

/** Deliveries claimed at once, and sent in parallel. */
const BATCH = 20;
/**
 * How long a claim holds: well past an attempt's timeout, so a sender that died mid-attempt gives its deliveries
 * back to the others after this, and a live one always records its outcome first.
 */
const LEASE_MS = 6 * SEND_TIMEOUT_MS;

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
 * Claims up to BATCH due deliveries of enabled endpoints: `FOR UPDATE SKIP LOCKED`, so concurrent senders (other
 * instances, the cron route) each get other rows, and a lease (next_attempt_at moved past it, with a lease id), so a
 * row stays claimed after this statement commits, while it is being sent.
 */
function claim(): Promise<Claimed[]> {
  const leaseId = randomUUID();
  return db().$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT d.id FROM webhook_deliveries d
      JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
      WHERE d.state = 'pending' AND d.next_attempt_at <= now()
      ORDER BY d.next_attempt_at
      LIMIT ${BATCH}::int
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
  await record(delivery, startedAt, outcome);
  return outcome.error === null;
}

export type DispatchResult = { sent: number; failed: number };

/** Sends every due delivery, batch after batch, until none is due (or `deadline`, a Date.now() value, passes). */
export async function sendDueDeliveries(deadline = Number.POSITIVE_INFINITY): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, failed: 0 };
  while (Date.now() < deadline) {
    const batch = await claim();
    if (batch.length === 0) break;
    for (const ok of await Promise.all(batch.map(deliver))) result[ok ? "sent" : "failed"] += 1;
  }
  return result;
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
 * One dispatcher per process: a kick sends what is due (one run at a time; a kick during a run makes it run once
 * more), then, in a long-running server, sleeps until the next retry is due or WEBHOOK_SWEEP_MS, whichever is
 * sooner (an unref'd timer: it never keeps the process alive). On Vercel no timer is set: an instance is frozen
 * between requests; the cron route sends the retries.
 */
class Dispatcher {
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;

  kick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    let wakeAt: Date | undefined;
    try {
      do {
        this.#again = false;
        await sendDueDeliveries();
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
 * After a write's response has gone out (Next's `after`: on Vercel the function lives on until it is done), sends
 * the deliveries it recorded, and any others due. Outside a request (a script, an in-process test) it starts now.
 */
export function kickWebhooksAfterResponse(): void {
  try {
    after(kickWebhooks);
  } catch {
    void kickWebhooks();
  }
}
