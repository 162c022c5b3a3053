import { expect } from "vitest";
import { ChangeEvent } from "@/lib/changes/schema";
import { BASE_URL, dispatch } from "./app.ts";
import type { TestUser } from "./users.ts";

/** One server-sent event as a client sees it (a comment, such as the heartbeat, is `{ comment }`). */
export type StreamMessage = { id?: string; event?: string; data?: string; retry?: string; comment?: string };

export const eventsPath = (user: { id: string }) => `/api/${user.id}/events`;

/** Parses one `\n\n`-terminated block of the text/event-stream format. */
function parseBlock(block: string): StreamMessage {
  const message: StreamMessage = {};
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) {
      message.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(":");
    const name = (colon < 0 ? line : line.slice(0, colon)) as keyof StreamMessage;
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    message[name] = message[name] === undefined || name !== "data" ? value : `${message[name]}\n${value}`;
  }
  return message;
}

/** An open event stream: everything received so far, and waits for what is to come. */
export class OpenStream {
  readonly messages: StreamMessage[] = [];
  /** Everything received, as sent. */
  text = "";
  ended = false;
  readonly #waiters = new Set<() => void>();
  readonly #abort: AbortController;
  readonly done: Promise<void>;

  constructor(
    readonly response: Response,
    abort: AbortController,
  ) {
    this.#abort = abort;
    this.done = this.#read();
  }

  async #read() {
    const reader = this.response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        buffer += chunk.value;
        this.text += chunk.value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          this.messages.push(parseBlock(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
        }
        this.#notify();
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) throw error;
    } finally {
      this.ended = true;
      this.#notify();
    }
  }

  #notify() {
    for (const waiter of this.#waiters) waiter();
  }

  /** The change events received so far, parsed with the API's own schema. */
  get changes(): ChangeEvent[] {
    return this.messages
      .filter((message) => message.data !== undefined && message.event !== "ready" && message.event !== "end")
      .map((message) => {
        const event = ChangeEvent.parse(JSON.parse(message.data ?? ""));
        expect(message.id).toBe(event.event_id);
        expect(message.event).toBe(event.type);
        return event;
      });
  }

  /** Resolves once `condition` holds of what was received; fails after `timeoutMs`, or if the stream ends first. */
  until<T>(condition: (stream: OpenStream) => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = condition(this);
        if (value !== undefined && value !== false) {
          cleanup();
          resolve(value);
        } else if (this.ended) {
          cleanup();
          reject(new Error(`The stream ended first; it sent ${JSON.stringify(this.messages)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms; the stream sent ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Waits for at least `count` change events and returns them all. */
  untilChanges(count: number, timeoutMs?: number): Promise<ChangeEvent[]> {
    return this.until((stream) => {
      const changes = stream.changes;
      return changes.length >= count && changes;
    }, timeoutMs);
  }

  /** The `event: end` message's reason, once it came (the stream then closes). */
  async untilEnd(timeoutMs?: number): Promise<string> {
    const end = await this.until((stream) => stream.messages.find((message) => message.event === "end"), timeoutMs);
    await this.done;
    return (JSON.parse(end.data ?? "{}") as { reason: string }).reason;
  }

  close() {
    this.#abort.abort();
  }
}

export type StreamOptions = { token?: string; lastEventId?: string; since?: string; headers?: Record<string, string> };

function streamRequest(user: TestUser, base: string, options: StreamOptions, signal: AbortSignal): Request {
  const url = new URL(eventsPath(user), base);
  if (options.since !== undefined) url.searchParams.set("since", options.since);
  const headers = new Headers(options.headers);
  headers.set("Authorization", `Bearer ${options.token ?? user.token}`);
  if (options.lastEventId !== undefined) headers.set("Last-Event-ID", options.lastEventId);
  return new Request(url, { headers, signal });
}

/** Opens `GET …/events` through the route handlers in this process (or on `server`, over HTTP); expects a 200. */
export async function openStream(user: TestUser, options: StreamOptions = {}, server?: string): Promise<OpenStream> {
  const response = await requestStream(user, options, server);
  expect(response.status, await (response.status === 200 ? "" : response.clone().text())).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const stream = new OpenStream(response, response.abort);
  await stream.until((open) => open.messages.some((message) => message.event === "ready"));
  return stream;
}

/** `GET …/events`, the raw response (for the refusals); `abort` ends it. */
export async function requestStream(
  user: TestUser,
  options: StreamOptions = {},
  server?: string,
): Promise<Response & { abort: AbortController }> {
  const abort = new AbortController();
  const request = streamRequest(user, server ?? BASE_URL, options, abort.signal);
  const response = server ? await fetch(request) : await dispatch(request);
  return Object.assign(response, { abort });
}

/** The `ready` message's token: where the stream started. */
export const readyToken = (stream: OpenStream) => stream.messages.find((message) => message.event === "ready")?.id;
