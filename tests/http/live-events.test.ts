import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangeEvent, ChangesPage } from "@/lib/changes/schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { summary } from "../support/changes.ts";
import { type OpenStream, openStream, requestStream } from "../support/event-stream.ts";
import { adminQuery, serverUrl } from "../support/postgres.ts";
import { apiOver, type RunningServer, signUpOver, startServer } from "../support/server.ts";
import type { TestUser } from "../support/users.ts";

/**
 * The live events across real instances: two `next start` processes on one PostgreSQL database, a stream open on
 * one, writes through the other. The events reach the stream through the instance's one LISTEN connection, and the
 * feed table when a notification is lost. In-process rules (resume, isolation, limits): tests/api/events.test.ts.
 */

const ENV = { API_RATE_LIMIT: "off", AUTH_RATE_LIMIT: "off", REQUEST_LOG: "off" };

let a: RunningServer;
let b: RunningServer;
const open: OpenStream[] = [];

async function streamOn(server: RunningServer, user: TestUser, options = {}) {
  const stream = await openStream(user, options, server.url);
  open.push(stream);
  return stream;
}

/** Every event of the user's feed after `since`, read through `server`. */
async function feedAfter(server: RunningServer, user: TestUser, since: string): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  for (let next = since; ; ) {
    const page = await apiOver<ChangesPage>(server, user, "GET", `/changes?since=${next}&limit=100`);
    events.push(...page.events);
    next = page.next;
    if (page.events.length < 100) return events;
  }
}

/** The LISTEN connections to the database both instances serve. */
async function listenerConnections(server: RunningServer): Promise<number> {
  const { rows } = await adminQuery(
    serverUrl() ?? "",
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = '${server.databaseName}' AND application_name = 'taskapp-listener'`,
  );
  return rows[0].n;
}

beforeAll(async () => {
  a = await startServer({ env: ENV });
  b = await startServer({ env: ENV, instanceOf: a });
}, 120_000);

afterAll(async () => {
  for (const stream of open) stream.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

describe("Live events across two instances", () => {
  it("a stream on instance B gets every write made through instance A, in the feed's order", async () => {
    const alice = await signUpOver(a, "Alice");
    const stream = await streamOn(b, alice);
    expect(stream.response.headers.get("content-encoding")).toBeNull();
    const start = stream.messages.find((message) => message.event === "ready")?.id ?? "";

    const list = await apiOver<{ id: string }>(a, alice, "POST", "/lists", { name: "Errands" });
    const tasks: TaskJson[] = [];
    for (let i = 0; i < 30; i++) {
      tasks.push(
        await apiOver<TaskJson>(a, alice, "POST", "/tasks", { title: `task ${i}`, tags: i % 3 ? [] : ["home"] }),
      );
    }
    for (const task of tasks.slice(0, 20)) {
      await apiOver(a, alice, "PATCH", `/tasks/${task.id}`, { completed: true, list_id: list.id });
    }
    for (const task of tasks.slice(20)) await apiOver(a, alice, "DELETE", `/tasks/${task.id}`);
    await apiOver(a, alice, "DELETE", `/lists/${list.id}?tasks=move`);

    const expected = await feedAfter(a, alice, start);
    expect(expected.length).toBeGreaterThan(60);
    const received = await stream.untilChanges(expected.length, 10_000);
    expect(summary(received)).toEqual(summary(expected));
    expect(received).toEqual(expected);
  });

  it("holds one LISTEN connection per instance, however many streams are open on it", async () => {
    const users = [await signUpOver(a, "Carol"), await signUpOver(b, "Dave")];
    for (const user of users) for (let i = 0; i < 6; i++) await streamOn(b, user);
    expect(await listenerConnections(b)).toBe(1);
    await streamOn(a, users[0] as TestUser);
    await expect.poll(() => listenerConnections(a)).toBe(2);
  });

  it("catches up from the feed when the listening connection is lost, and listens again", async () => {
    const erin = await signUpOver(a, "Erin");
    const stream = await streamOn(b, erin);
    await adminQuery(
      serverUrl() ?? "",
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = '${b.databaseName}' AND application_name = 'taskapp-listener'`,
    );
    const task = await apiOver<TaskJson>(a, erin, "POST", "/tasks", { title: "written while B was not listening" });
    expect((await stream.untilChanges(1, 10_000))[0]?.id).toBe(task.id);
    await expect.poll(() => listenerConnections(b), { timeout: 10_000 }).toBe(2);
    const next = await apiOver<TaskJson>(a, erin, "POST", "/tasks", { title: "after" });
    expect((await stream.untilChanges(2, 5_000))[1]?.id).toBe(next.id);
  });

  it("frees a stream's place when its client goes away", async () => {
    const ivy = await signUpOver(a, "Ivy");
    const first = await Promise.all(Array.from({ length: 10 }, () => openStream(ivy, {}, b.url)));
    expect((await requestStream(ivy, {}, b.url)).status).toBe(429);
    for (const stream of first) stream.close();
    // All ten places come back: ten streams open at once again (a try that still meets a place not yet freed lets
    // go of what it opened and tries again).
    const reopen = async () => {
      const tries = await Promise.all(Array.from({ length: 10 }, () => requestStream(ivy, {}, b.url)));
      for (const attempt of tries) attempt.abort.abort();
      return tries.map((attempt) => attempt.status);
    };
    await expect.poll(reopen, { timeout: 10_000 }).toEqual(Array(10).fill(200));
  });

  it("answers HEAD with the stream's headers and no body", async () => {
    const frank = await signUpOver(a, "Frank");
    const response = await fetch(`${b.url}/api/${frank.id}/events`, {
      method: "HEAD",
      headers: { Authorization: `Bearer ${frank.token}` },
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await response.text()).toBe("");
  });
});

describe("An instance's streams end by themselves", () => {
  let c: RunningServer;

  beforeAll(async () => {
    c = await startServer({ env: { ...ENV, EVENTS_MAX_SECONDS: "2" }, instanceOf: a });
  }, 60_000);

  afterAll(() => c?.stop());

  it("after EVENTS_MAX_SECONDS, with event: end, and the client resumes where it was", async () => {
    const gina = await signUpOver(c, "Gina");
    const stream = await streamOn(c, gina);
    const task = await apiOver<TaskJson>(a, gina, "POST", "/tasks", { title: "before the end" });
    await stream.untilChanges(1);
    expect(await stream.untilEnd(5_000)).toBe("max_duration");
    const last = stream.changes.at(-1)?.event_id;
    const later = await apiOver<TaskJson>(a, gina, "POST", "/tasks", { title: "between two streams" });
    const resumed = await streamOn(c, gina, { lastEventId: last });
    expect((await resumed.untilChanges(1))[0]?.id).toBe(later.id);
    expect(later.id).not.toBe(task.id);
  });

  it("when the server is asked to stop: the streams end with reason shutdown and it exits promptly, cleanly", async () => {
    const hank = await signUpOver(c, "Hank");
    const streams = [await streamOn(c, hank), await streamOn(c, hank)];
    const stopping = Date.now();
    const exitCode = await c.stop("SIGTERM");
    expect(exitCode).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    for (const stream of streams) expect(await stream.untilEnd()).toBe("shutdown");
    // The other instances' streams are not affected.
    const elsewhere = await requestStream(hank, {}, b.url);
    expect(elsewhere.status).toBe(200);
    elsewhere.abort.abort();
  });
});

describe("An instance that gets no notifications (they go to another database, as with PGlite: none)", () => {
  let deaf: RunningServer;

  beforeAll(async () => {
    const elsewhere = serverUrl() ?? "";
    deaf = await startServer({ env: { ...ENV, CHANGES_LISTEN_URL: elsewhere, CHANGES_POLL_MS: "300" }, instanceOf: a });
  }, 60_000);

  afterAll(() => deaf?.stop());

  it("still streams every write, from the feed table, within the poll interval", async () => {
    const jane = await signUpOver(a, "Jane");
    const stream = await streamOn(deaf, jane);
    const tasks: TaskJson[] = [];
    for (let i = 0; i < 5; i++)
      tasks.push(await apiOver<TaskJson>(a, jane, "POST", "/tasks", { title: `polled ${i}` }));
    const events = await stream.untilChanges(5, 3_000);
    expect(events.map((event) => event.id)).toEqual(tasks.map((task) => task.id));
  });
});
