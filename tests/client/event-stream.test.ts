import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChangeEvent } from "@/lib/changes/schema";
import { type ChangeStreamOptions, openChangeStream, retryDelay, type StreamState } from "@/lib/client/event-stream";
import { SessionEndedError } from "@/lib/client/token";
import type { TaskJson } from "@/lib/tasks/schema";

/** One request the stream made, answered by the test. */
interface Connection {
  headers: Record<string, string>;
  signal: AbortSignal;
  /** Answers with an event stream; `send` writes to it, `close` ends it. */
  open: () => void;
  send: (chunk: string | Uint8Array) => void;
  close: () => void;
  /** Answers with an error status (and the app's error body). */
  refuse: (status: number, headers?: Record<string, string>) => void;
  /** The network fails before any answer. */
  fail: () => void;
}

/** A fake `fetch` for the events route: each request waits in `connections` until the test answers it. */
function fakeServer() {
  const connections: Connection[] = [];
  const fetch = vi.fn((_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { promise, resolve, reject } = Promise.withResolvers<Response>();
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
    const signal = init?.signal as AbortSignal;
    signal.addEventListener("abort", () => {
      reject(new DOMException("aborted", "AbortError"));
      stream?.error(new DOMException("aborted", "AbortError"));
    });
    connections.push({
      headers: init?.headers as Record<string, string>,
      signal,
      open: () => {
        const body = new ReadableStream<Uint8Array>({
          start: (controller) => {
            stream = controller;
          },
        });
        resolve(new Response(body, { headers: { "Content-Type": "text/event-stream" } }));
      },
      send: (chunk) => stream?.enqueue(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk),
      close: () => stream?.close(),
      refuse: (status, headers = {}) =>
        resolve(Response.json({ error: "refused", detail: "Refused." }, { status, headers })),
      fail: () => reject(new TypeError("fetch failed")),
    });
    return promise;
  });
  return { fetch, connections };
}

const USER = randomUUID();

/** Lets the stream read what was sent and act on it (no timer runs: those are the test's to advance). */
async function settle() {
  for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}
const ready = (token: string) => `retry: 3000\nid: ${token}\nevent: ready\ndata: {"next":"${token}"}\n\n`;
const deleted = (eventId: string, id = randomUUID()): ChangeEvent => ({ event_id: eventId, type: "task.deleted", id });
const upserted = (eventId: string, title: string): ChangeEvent => {
  const id = randomUUID();
  const at = new Date().toISOString();
  const data: TaskJson = {
    ...{ id, title, description: null, completed: false, created_at: at, updated_at: at, user_id: USER, version: 1 },
    ...{ list_id: null, due_date: null, due_time: null, priority: "none", position: "a0", tags: [] },
  };
  return { event_id: eventId, type: "task.upserted", id, data };
};
const message = (event: ChangeEvent) =>
  `id: ${event.event_id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
const end = (reason: string) => `event: end\ndata: {"reason":"${reason}"}\n\n`;

function start(options: Partial<ChangeStreamOptions> = {}) {
  const server = fakeServer();
  const states: StreamState[] = [];
  const changes: ChangeEvent[] = [];
  let issued = 0;
  const tokens = {
    get: vi.fn(async () => `token-${++issued}`),
    renew: vi.fn(async (_rejected: string) => `token-${++issued}`),
  };
  const callbacks = { onResync: vi.fn(), onSessionEnded: vi.fn() };
  const stream = openChangeStream({
    userId: USER,
    fetch: server.fetch,
    tokens,
    random: () => 0,
    onChange: (event) => changes.push(event),
    onState: (state) => states.push(state),
    ...callbacks,
    ...options,
  });
  /** The n-th request (from 1), which the stream must have made by now. */
  const connection = async (n: number) => {
    await settle();
    expect(server.connections.length).toBeGreaterThanOrEqual(n);
    return server.connections[n - 1] as Connection;
  };
  return { stream, server, states, changes, tokens, connection, ...callbacks };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("The change stream's connection", () => {
  it("sends the token, goes live on ready, and hands over each change in order, however the bytes are split", async () => {
    const { stream, states, changes, connection, onResync } = start({ since: "7" });
    const first = await connection(1);
    expect(first.headers).toMatchObject({ Authorization: "Bearer token-1", Accept: "text/event-stream" });
    expect(first.headers["Last-Event-ID"]).toBe("7");
    first.open();
    first.send(ready("7"));
    await settle();
    expect(states.at(-1)).toBe("live");
    const events = [deleted("8"), upserted("9", "Café ☕"), deleted("10")];
    const bytes = new TextEncoder().encode(`: heartbeat\n\n${events.map(message).join("")}`);
    // In pieces that cut lines, fields and multi-byte characters apart.
    for (let at = 0; at < bytes.length; at += 7) first.send(bytes.slice(at, at + 7));
    await settle();
    expect(changes).toEqual(events);
    expect(onResync).not.toHaveBeenCalled();
    stream.close();
  });

  it("started without a position, asks for everything to be read again once it is live", async () => {
    const { stream, connection, onResync } = start();
    const first = await connection(1);
    expect(first.headers["Last-Event-ID"]).toBeUndefined();
    first.open();
    expect(onResync).not.toHaveBeenCalled();
    first.send(ready("3"));
    await settle();
    expect(onResync).toHaveBeenCalledTimes(1);
    stream.close();
  });

  it("after the server ends a stream, reconnects at once with a new token, from the last event it saw", async () => {
    const { stream, tokens, connection } = start({ since: "1" });
    const first = await connection(1);
    first.open();
    first.send(ready("1") + message(deleted("2")) + end("token_expired"));
    first.close();
    const second = await connection(2);
    expect(second.headers).toMatchObject({ Authorization: "Bearer token-2", "Last-Event-ID": "2" });
    expect(tokens.get).toHaveBeenCalledTimes(2);
    stream.close();
  });

  it("after a failure, waits with backoff and says it is down, then resumes where it was", async () => {
    const { stream, server, states, connection } = start({ since: "1" });
    const first = await connection(1);
    first.open();
    first.send(ready("1") + message(deleted("5")));
    await settle();
    expect(states.at(-1)).toBe("live");
    first.close(); // No `end`: the connection was lost.
    await settle();
    expect(states.at(-1)).toBe("down");

    await vi.advanceTimersByTimeAsync(240);
    expect(server.connections).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    const second = await connection(2);
    expect(second.headers["Last-Event-ID"]).toBe("5");
    second.fail();
    // The second failure in a row waits twice as long.
    await vi.advanceTimersByTimeAsync(490);
    expect(server.connections).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(20);
    const third = await connection(3);
    third.open();
    third.send(ready("5"));
    await settle();
    expect(states.at(-1)).toBe("live");
    stream.close();
  });

  it("renews a refused token and reconnects at once", async () => {
    const { stream, tokens, connection } = start({ since: "1" });
    (await connection(1)).refuse(401);
    const second = await connection(2);
    expect(tokens.renew).toHaveBeenCalledWith("token-1");
    expect(second.headers.Authorization).toBe("Bearer token-2");
    stream.close();
  });

  it.each([410, 400])(
    "on %i for its position, starts again without one and has everything read again",
    async (status) => {
      const { stream, connection, onResync } = start({ since: "99" });
      (await connection(1)).refuse(status);
      const second = await connection(2);
      expect(second.headers["Last-Event-ID"]).toBeUndefined();
      second.open();
      second.send(ready("4"));
      await settle();
      expect(onResync).toHaveBeenCalledTimes(1);
      stream.close();
    },
  );

  it("honours Retry-After on a 429", async () => {
    const { stream, server, connection } = start({ since: "1" });
    (await connection(1)).refuse(429, { "Retry-After": "5" });
    await vi.advanceTimersByTimeAsync(4_900);
    expect(server.connections).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    await connection(2);
    stream.close();
  });

  it("reconnects at once when told to (the browser is back online), without waiting out the backoff", async () => {
    const { stream, connection } = start({ since: "1" });
    (await connection(1)).fail();
    await vi.advanceTimersByTimeAsync(0);
    stream.retryNow();
    await connection(2);
    stream.close();
  });

  it("gives up a connection that has been silent for three heartbeats", async () => {
    const { stream, connection } = start({ since: "1" });
    const first = await connection(1);
    first.open();
    first.send(ready("1"));
    await vi.advanceTimersByTimeAsync(30_000);
    first.send(": heartbeat\n\n");
    await vi.advanceTimersByTimeAsync(44_000);
    expect(first.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(first.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    await connection(2);
    stream.close();
  });

  it("has everything read again when a change cannot be read", async () => {
    const { stream, changes, connection, onResync } = start({ since: "1" });
    const first = await connection(1);
    first.open();
    first.send(`${ready("1")}id: 2\nevent: task.upserted\ndata: {"type":"task.upserted"}\n\n${message(deleted("3"))}`);
    await settle();
    expect(changes).toHaveLength(1);
    expect(onResync).toHaveBeenCalledTimes(1);
    stream.close();
  });

  it("stops when the session has ended", async () => {
    const { states, server, onSessionEnded } = start({
      tokens: {
        get: () => Promise.reject(new SessionEndedError()),
        renew: () => Promise.reject(new SessionEndedError()),
      },
    });
    await settle();
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    expect(states.at(-1)).toBe("stopped");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.connections).toHaveLength(0);
  });

  it("stops for good when the server refuses this user (403)", async () => {
    const { states, server, connection } = start({ since: "1" });
    (await connection(1)).refuse(403);
    await settle();
    expect(states.at(-1)).toBe("stopped");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.connections).toHaveLength(1);
  });

  it("closed, aborts its request and never reconnects", async () => {
    const { stream, states, server, connection } = start({ since: "1" });
    const first = await connection(1);
    first.open();
    first.send(ready("1"));
    stream.close();
    expect(first.signal.aborted).toBe(true);
    expect(states.at(-1)).toBe("stopped");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.connections).toHaveLength(1);
  });
});

describe("The wait before reconnecting", () => {
  it("starts under a second, doubles, and never goes over 30 s; the jitter spreads it over its upper half", () => {
    expect(retryDelay(1, () => 0)).toBe(250);
    expect(retryDelay(1, () => 0.999_999)).toBeCloseTo(500);
    expect(retryDelay(2, () => 0)).toBe(500);
    for (let failures = 1; failures < 40; failures += 1) {
      expect(retryDelay(failures, () => 0.999_999)).toBeLessThanOrEqual(30_000);
    }
    expect(retryDelay(40, () => 0)).toBe(15_000);
  });
});
