import "server-only";
import type { HeldToken } from "../auth/bearer";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { validateQuery } from "../http/validate";
import { log } from "../log";
import { TASK_LIST_MAX_LIMIT as PAGE } from "../tasks/schema";
import { readChanges } from "./feed";
import { subscribeToChanges } from "./listener";
import { type ChangeEvent, EventsQuery, type StreamEndReason } from "./schema";
import { decodeToken } from "./token";

/** A comment line this often keeps proxies from closing an idle stream, and re-checks the token's session. */
export const HEARTBEAT_MS = 15_000;
/** What the stream asks a client to wait before reconnecting after a cut (`retry:`). */
const RETRY_MS = 3_000;
/** Open streams of one user on one instance: enough for a person's tabs and devices, not for a runaway loop. */
export const MAX_STREAMS_PER_USER = 10;
/** A client that stops reading is cut off past this much unread output; it catches up when it reconnects. */
const MAX_UNREAD_BYTES = 1_000_000;

const encoder = new TextEncoder();
const openPerUser = new Map<string, number>();
const ending = new Set<(reason: StreamEndReason) => void>();

const message = (fields: { id?: string; event?: string; data?: string }) =>
  `${Object.entries(fields)
    .map(([name, value]) => `${name}: ${value}\n`)
    .join("")}\n`;

const changeMessage = (event: ChangeEvent) =>
  message({ id: event.event_id, event: event.type, data: JSON.stringify(event) });

function claimSlot(userId: string): () => void {
  const open = openPerUser.get(userId) ?? 0;
  if (open >= MAX_STREAMS_PER_USER) {
    throw new ApiError(
      "rate_limited",
      `This user has ${MAX_STREAMS_PER_USER} event streams open here already; close one (another tab?) first.`,
      { headers: { "Retry-After": String(RETRY_MS / 1000) } },
    );
  }
  openPerUser.set(userId, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (openPerUser.get(userId) ?? 1) - 1;
    if (left === 0) openPerUser.delete(userId);
    else openPerUser.set(userId, left);
  };
}

let endOnShutdown = false;
/** SIGTERM (scripts/start.ts drains its connections then): every stream says so and ends, instead of holding on. */
function watchShutdown() {
  if (endOnShutdown) return;
  endOnShutdown = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      for (const end of ending) end("shutdown");
    });
  }
}

/** Where a stream starts: `Last-Event-ID` (what a reconnecting client sends), else `?since=`, else now. */
function startToken(request: Request): string | undefined {
  const lastEventId = request.headers.get("last-event-id");
  if (lastEventId !== null) return lastEventId.trim();
  return validateQuery(EventsQuery, request.url).since;
}

/**
 * `GET /api/{userId}/events`: the user's change feed as server-sent events, from the start token on. Everything that
 * can be refused (the token, `since`, the stream limit, the database) is refused before the 200; afterwards the stream
 * ends by itself when the token expires, after EVENTS_MAX_SECONDS, when the session ends or the server stops.
 */
export async function openEventStream(request: Request, held: HeldToken): Promise<Response> {
  const { userId } = held;
  const since = startToken(request);
  const release = claimSlot(userId);
  let backlog: Awaited<ReturnType<typeof readChanges>>;
  try {
    backlog = await readChanges(userId, { since, limit: PAGE });
  } catch (error) {
    release();
    throw error;
  }
  const openedAt = Date.now();
  const lifetimeMs = Math.min(held.expiresAtMs - openedAt, env().EVENTS_MAX_SECONDS * 1000);
  const endReason: StreamEndReason = held.expiresAtMs - openedAt <= lifetimeMs ? "token_expired" : "max_duration";
  watchShutdown();

  let position = since ?? backlog.next;
  let sent = 0;
  let closed = false;
  let reading: Promise<void> | undefined;
  let readAgain = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  let cancelStream = () => {};

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const write = (text: string) => {
          if (closed) return;
          controller.enqueue(encoder.encode(text));
          if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) close("unread");
        };
        const send = (events: ChangeEvent[]) => {
          if (events.length === 0) return;
          write(events.map(changeMessage).join(""));
          position = events.at(-1)?.event_id ?? position;
          sent += events.length;
        };
        const close = (why: StreamEndReason | "unread" | "failed" | "client") => {
          if (closed) return;
          if (why !== "client" && why !== "unread" && why !== "failed") {
            write(message({ event: "end", data: JSON.stringify({ reason: why }) }));
          }
          closed = true;
          for (const timer of timers) clearTimeout(timer);
          unsubscribe();
          ending.delete(close);
          release();
          try {
            controller.close();
          } catch {
            // Cancelled by its reader already.
          }
          log("info", "event stream ended", {
            user_id: userId,
            reason: why,
            events: sent,
            duration_ms: Date.now() - openedAt,
          });
        };
        const failed = (error: unknown) => {
          // The client reconnects from the last id it saw; a 410 or 503 then tells it what to do.
          log("warn", "event stream cut off", {
            user_id: userId,
            cause: error instanceof Error ? error.message : error,
          });
          close("failed");
        };
        // Reads until the feed is exhausted; a wake during a read makes it read once more.
        const readOn = () => {
          if (closed) return;
          if (reading) {
            readAgain = true;
            return;
          }
          reading = (async () => {
            try {
              do {
                readAgain = false;
                const page = await readChanges(userId, { since: position, limit: PAGE });
                if (closed) return;
                send(page.events);
                if (page.events.length === PAGE) readAgain = true;
              } while (readAgain && !closed);
            } catch (error) {
              failed(error);
            } finally {
              reading = undefined;
            }
          })();
        };

        write(`retry: ${RETRY_MS}\n\n`);
        write(message({ id: position, event: "ready", data: JSON.stringify({ next: position }) }));
        send(backlog.events);
        ending.add(close);
        unsubscribe = subscribeToChanges(userId, { wake: readOn, position: () => decodeToken(position) });
        if (backlog.events.length === PAGE) readOn();
        const heartbeat = setInterval(async () => {
          if (closed) return;
          write(": heartbeat\n\n");
          try {
            if (!(await held.stillStands())) close("session_ended");
          } catch (error) {
            failed(error);
          }
        }, HEARTBEAT_MS);
        timers.push(
          heartbeat,
          setTimeout(() => close(endReason), Math.max(0, lifetimeMs)),
        );
        request.signal.addEventListener("abort", () => close("client"), { once: true });
        cancelStream = () => close("client");
      },
      cancel() {
        cancelStream();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: Next's compression (and any proxy's) leaves the stream as it is, unbuffered.
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
