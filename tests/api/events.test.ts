import { afterEach, describe, expect, it, vi } from "vitest";
import { HEARTBEAT_MS, MAX_STREAMS_PER_USER } from "@/lib/changes/stream";
import type { TaskJson } from "@/lib/tasks/schema";
import { BASE_URL, call } from "../support/app.ts";
import { drain, feedNow, summary } from "../support/changes.ts";
import { type OpenStream, openStream, readyToken, requestStream } from "../support/event-stream.ts";
import { createTask, expectError, expectJson, taskPath } from "../support/tasks.ts";
import { nowSeconds, signWithServerKey, standardClaims } from "../support/tokens.ts";
import { signUp, twoUsers } from "../support/users.ts";

/**
 * `GET /api/{userId}/events`: the change feed as server-sent events, as a client of the live app uses it. Across
 * instances (LISTEN/NOTIFY), shutdown and the stream's lifetime over HTTP: tests/http/live-events.test.ts.
 */

const open: OpenStream[] = [];

async function streamOf(...args: Parameters<typeof openStream>) {
  const stream = await openStream(...args);
  open.push(stream);
  return stream;
}

afterEach(() => {
  for (const stream of open.splice(0)) stream.close();
  vi.useRealTimers();
});

describe("GET /api/{userId}/events", () => {
  it("streams each write's event as it commits, with the data a GET answers, from now on", async () => {
    const user = await signUp();
    const now = await feedNow(user);
    const stream = await streamOf(user);
    expect(stream.messages[0]).toEqual({ retry: "3000" });
    expect(readyToken(stream)).toBe(now);

    const task = await createTask(user, { title: "Water the plants" });
    const [created] = await stream.untilChanges(1);
    expect(created).toMatchObject({ type: "task.upserted", id: task.id, data: task });

    const patched = await expectJson<TaskJson>(
      await call("PATCH", taskPath(user, task.id), { token: user.token, json: { completed: true } }),
      200,
    );
    expect((await stream.untilChanges(2))[1]).toMatchObject({ type: "task.upserted", data: patched });

    expect((await call("DELETE", taskPath(user, task.id), { token: user.token })).status).toBe(204);
    const events = await stream.untilChanges(3);
    expect(events[2]).toEqual({ event_id: expect.any(String), type: "task.deleted", id: task.id });
    // The same events as the feed, in the same order.
    expect(events).toEqual((await drain(user, now)).events);
  });

  it("resumes after Last-Event-ID (or since=) with exactly the rest, the header winning", async () => {
    const user = await signUp();
    const start = await feedNow(user);
    for (const title of ["one", "two", "three"]) await createTask(user, { title });
    const { events } = await drain(user, start);
    const first = events[0]?.event_id ?? "";

    const resumed = await streamOf(user, { lastEventId: first });
    expect(readyToken(resumed)).toBe(first);
    expect(summary(await resumed.untilChanges(2))).toEqual(summary(events.slice(1)));

    const bySince = await streamOf(user, { since: start });
    expect(summary(await bySince.untilChanges(3))).toEqual(summary(events));

    const both = await streamOf(user, { since: start, lastEventId: events[1]?.event_id });
    expect(summary(await both.untilChanges(1))).toEqual(summary(events.slice(2)));
    expect(both.changes).toHaveLength(1);
  });

  it("sends a backlog of several pages in order, then goes on live", async () => {
    const user = await signUp();
    const start = await feedNow(user);
    for (let i = 0; i < 230; i++) await createTask(user, { title: `task ${i}` });
    const stream = await streamOf(user, { lastEventId: start });
    const backlog = await stream.untilChanges(230, 15_000);
    expect(summary(backlog)).toEqual(summary((await drain(user, start)).events));
    const late = await createTask(user, { title: "late" });
    expect((await stream.untilChanges(231)).at(-1)?.id).toBe(late.id);
  });

  it("never shows one user's events on another's stream, nor opens another's stream", async () => {
    const [alice, bob] = await twoUsers();
    const bobs = await streamOf(bob);
    await createTask(alice, { title: "Alice's secret" });
    const own = await createTask(bob, { title: "Bob's own" });
    const [event, ...rest] = await bobs.untilChanges(1);
    expect(event?.id).toBe(own.id);
    expect(rest).toEqual([]);

    await expectError(await requestStream(alice, { token: bob.token }), 403, "forbidden");
    await expectError(await requestStream(alice, { token: "" }), 401, "invalid_token");
  });

  it("refuses a token the feed never gave (400) and one it cannot resume from (410), before streaming", async () => {
    const user = await signUp();
    await expectError(await requestStream(user, { lastEventId: "abc" }), 400, "invalid_cursor");
    await expectError(await requestStream(user, { since: "-1" }), 400, "invalid_cursor");
    await expectError(await requestStream(user, { lastEventId: "999999" }), 410, "resync_required");
  });

  it(`keeps at most ${MAX_STREAMS_PER_USER} streams of one user open on an instance (429 beyond)`, async () => {
    const [alice, bob] = await twoUsers();
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await streamOf(alice));
    const refused = await requestStream(alice);
    await expectError(refused, 429, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("3");
    // Another user is not affected; a closed stream frees its place.
    await streamOf(bob);
    streams[0]?.close();
    await streams[0]?.done;
    await vi.waitFor(async () => {
      const again = await requestStream(alice);
      again.abort.abort();
      expect(again.status).toBe(200);
    });
  });

  it("ends with event: end when its token expires, so the client reconnects with a new one", async () => {
    const user = await signUp();
    const token = await signWithServerKey({ ...standardClaims(user), exp: nowSeconds() + 2 });
    const stream = await streamOf(user, { token });
    expect(await stream.untilEnd(5_000)).toBe("token_expired");
  });

  it("sends a heartbeat, and ends when the token's session does (signed out)", async () => {
    vi.useFakeTimers({ toFake: ["setInterval"] });
    const user = await signUp();
    const stream = await streamOf(user);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await stream.until((open) => open.messages.some((message) => message.comment === "heartbeat"));
    expect(stream.ended).toBe(false);

    const signOut = await call("POST", "/api/auth/sign-out", {
      json: {},
      headers: { Cookie: user.cookie, Origin: BASE_URL },
    });
    expect(signOut.status).toBe(200);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(await stream.untilEnd()).toBe("session_ended");
  });
});
