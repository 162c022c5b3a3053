// One user's change stream (`GET /api/{userId}/events`, server-sent events), read with fetch because EventSource
// cannot send an Authorization header. It reconnects by itself, with a fresh token each time, resuming after the last
// event it saw: at once when the server ends a stream, with backoff and jitter after a failure.

import { createParser } from "eventsource-parser";
import { ChangeEvent } from "@/lib/changes/schema";
import { getToken, renewToken, SessionEndedError } from "./token";

export type StreamState =
  /** The first connection is being made. */
  | "connecting"
  /** Changes arrive as they happen. */
  | "live"
  /** The stream was lost, or could not be opened: reconnecting. */
  | "down"
  /** Closed for good (closed here, the session ended, or the server refuses this user). */
  | "stopped";

export interface ChangeStreamOptions {
  userId: string;
  /** Resume after this token; without one the stream starts now. */
  since?: string;
  onChange: (event: ChangeEvent) => void;
  /**
   * What changed before the stream is unknown: it started without a position (first, or after a 410), or an event
   * could not be read. Everything shown must be read again.
   */
  onResync: () => void;
  onState: (state: StreamState) => void;
  /** The session is gone: the user must sign in again. */
  onSessionEnded: () => void;
  fetch?: typeof fetch;
  tokens?: { get: () => Promise<string>; renew: (rejected: string) => Promise<string> };
  /** In [0, 1), for the jitter. */
  random?: () => number;
}

export interface ChangeStream {
  close: () => void;
  /** Reconnects now instead of waiting out the backoff (the browser is back online). */
  retryNow: () => void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** Three missed heartbeats (the server sends one every 15 s): the connection is dead, though nobody closed it. */
const SILENCE_MS = 45_000;

const CHANGE_TYPES: ReadonlySet<string> = new Set(ChangeEvent.options.map((option) => option.shape.type.value));

/**
 * The wait before the next attempt after `failures` failures in a row: doubling from `FIRST_RETRY_MS` up to
 * `MAX_RETRY_MS`, each between half and all of that (so a server that comes back is not met by every client at once).
 */
export function retryDelay(failures: number, random: () => number): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), if the answer has one. */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

type Outcome =
  /** The server ended the stream (`event: end`): reconnect at once. */
  | { kind: "ended" }
  | { kind: "unauthorized" }
  /** 410, or a 400 for the position sent: start again without one. */
  | { kind: "resync" }
  | { kind: "forbidden" }
  | { kind: "failed"; retryAfter?: number };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function openChangeStream(options: ChangeStreamOptions): ChangeStream {
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  const tokens = options.tokens ?? { get: getToken, renew: renewToken };
  const random = options.random ?? Math.random;
  const url = `/api/${encodeURIComponent(options.userId)}/events`;
  const closed = new AbortController();
  /** The last event id seen: where the next connection resumes. */
  let position = options.since;
  let failures = 0;
  let wake: (() => void) | undefined;

  const report = (state: StreamState) => {
    if (!closed.signal.aborted) options.onState(state);
  };

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        closed.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
      closed.signal.addEventListener("abort", done);
    });
  }

  function backoff(retryAfter = 0): Promise<void> {
    failures += 1;
    return pause(Math.max(retryAfter, retryDelay(failures, random)));
  }

  async function read(body: NonNullable<Response["body"]>, attempt: AbortController, fresh: boolean): Promise<Outcome> {
    let ended = false;
    const parser = createParser({
      onId: (id) => {
        position = id;
      },
      onEvent: (message) => {
        if (message.event === "ready") {
          failures = 0;
          report("live");
          if (fresh) options.onResync();
        } else if (message.event === "end") {
          ended = true;
        } else if (message.event !== undefined && CHANGE_TYPES.has(message.event)) {
          const change = ChangeEvent.safeParse(parseJson(message.data));
          if (change.success) options.onChange(change.data);
          else options.onResync();
        }
        // Any other event is from a newer server: nothing this page shows depends on it.
      },
    });
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let silence = setTimeout(() => attempt.abort(), SILENCE_MS);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        clearTimeout(silence);
        silence = setTimeout(() => attempt.abort(), SILENCE_MS);
        parser.feed(value);
      }
    } finally {
      clearTimeout(silence);
    }
    return ended ? { kind: "ended" } : { kind: "failed" };
  }

  async function connect(token: string): Promise<Outcome> {
    const attempt = new AbortController();
    const abort = () => attempt.abort();
    closed.signal.addEventListener("abort", abort);
    const fresh = position === undefined;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "text/event-stream" };
    if (position !== undefined) headers["Last-Event-ID"] = position;
    try {
      const response = await send(url, { headers, cache: "no-store", credentials: "omit", signal: attempt.signal });
      const streaming = response.ok && response.headers.get("content-type")?.startsWith("text/event-stream");
      if (!streaming || !response.body) {
        void response.body?.cancel().catch(() => {});
        if (response.status === 401) return { kind: "unauthorized" };
        if (response.status === 403) return { kind: "forbidden" };
        // Only a position can be too old or unreadable; a stream started without one that is refused has failed.
        if ((response.status === 410 || response.status === 400) && !fresh) return { kind: "resync" };
        return { kind: "failed", retryAfter: retryAfterMs(response) };
      }
      return await read(response.body, attempt, fresh);
    } catch {
      // Offline, reset, or cut short by the silence timer.
      return { kind: "failed" };
    } finally {
      closed.signal.removeEventListener("abort", abort);
    }
  }

  async function run() {
    /** The token the server refused last, to be replaced by a new one. */
    let refused: string | undefined;
    let refusals = 0;
    while (!closed.signal.aborted) {
      let token: string;
      try {
        token = refused === undefined ? await tokens.get() : await tokens.renew(refused);
      } catch (error) {
        if (error instanceof SessionEndedError) {
          report("stopped");
          options.onSessionEnded();
          return;
        }
        await backoff();
        continue;
      }
      refused = undefined;
      const outcome = await connect(token);
      if (closed.signal.aborted) return;
      if (outcome.kind === "forbidden") {
        report("stopped");
        return;
      }
      report("down");
      if (outcome.kind === "unauthorized") {
        refused = token;
        refusals += 1;
        // Expired underneath us: a new token, at once; refused again, the server is not taking ours for now.
        if (refusals > 1) await backoff();
        continue;
      }
      refusals = 0;
      if (outcome.kind === "resync") position = undefined;
      else if (outcome.kind === "failed") await backoff(outcome.retryAfter);
    }
  }

  report("connecting");
  void run();
  return {
    close: () => {
      report("stopped");
      closed.abort();
    },
    retryNow: () => wake?.(),
  };
}
