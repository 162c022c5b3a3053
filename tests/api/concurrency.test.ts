import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { readTask } from "../support/requests.ts";
import { createTask, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

// Requests run through the real handlers against the real PostgreSQL, all at once: the pool (10 connections)
// queues them, so writes genuinely overlap in the database.

let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  [alice, bob] = [await signUp("Alice"), await signUp("Bob")];
});

const etagVersion = (response: Response) => Number(response.headers.get("etag")?.replaceAll('"', ""));

describe("Many writes at once", () => {
  it("200 concurrent creates make exactly 200 tasks with 200 distinct ids, all Alice's, and nothing for Bob", async () => {
    const titles = Array.from({ length: 200 }, (_, i) => `Concurrent ${i}`);
    const responses = await Promise.all(
      titles.map((title) => call("POST", tasksPath(alice), { token: alice.token, json: { title } })),
    );
    expect(responses.map((response) => response.status)).toEqual(titles.map(() => 201));
    const created = (await Promise.all(responses.map((response) => response.json()))) as TaskJson[];
    expect(new Set(created.map((task) => task.id)).size).toBe(200);
    expect(created.map((task) => task.title).sort()).toEqual([...titles].sort());
    const stored = await db().task.findMany({ where: { userId: alice.id, title: { startsWith: "Concurrent " } } });
    expect(stored).toHaveLength(200);
    expect(stored.every((task) => task.userId === alice.id)).toBe(true);
    expect(await db().task.count({ where: { userId: bob.id } })).toBe(0);
  });

  it("50 concurrent PATCHes of different fields all land: each is one atomic step, none overwrites another's field", async () => {
    const task = await createTask(alice, { title: "Start", description: "start" });
    const patches = Array.from(
      { length: 50 },
      (_, i) => [{ title: `Title ${i}` }, { description: `Description ${i}` }, { completed: i % 2 === 0 }][i % 3],
    ) as Record<string, unknown>[];
    const responses = await Promise.all(
      patches.map((json) => call("PATCH", taskPath(alice, task.id), { token: alice.token, json })),
    );
    expect(responses.map((response) => response.status)).toEqual(patches.map(() => 200));
    // Every PATCH incremented the version exactly once: 50 distinct versions, 2 to 51.
    const versions = responses.map(etagVersion);
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    // Replaying the patches in the order the database applied them (their versions) gives the final task.
    const expected: Record<string, unknown> = { title: "Start", description: "start", completed: false };
    for (const index of [...patches.keys()].sort((a, b) => (versions[a] ?? 0) - (versions[b] ?? 0))) {
      Object.assign(expected, patches[index]);
    }
    const final = await readTask(alice, task.id);
    expect({ title: final.title, description: final.description, completed: final.completed }).toEqual(expected);
    const response = await call("GET", taskPath(alice, task.id), { token: alice.token });
    expect(etagVersion(response)).toBe(51);
  });

  it("20 writers holding the same ETag: exactly one wins (200), the other 19 get 412, and the version moves by one", async () => {
    const task = await createTask(alice, { title: "Contested" });
    const etag = (await call("GET", taskPath(alice, task.id), { token: alice.token })).headers.get("etag") ?? "";
    const writers = Array.from({ length: 20 }, (_, i) =>
      call("PATCH", taskPath(alice, task.id), {
        token: alice.token,
        headers: { "If-Match": etag },
        json: { title: `Writer ${i}` },
      }),
    );
    const responses = await Promise.all(writers);
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(19);
    const winner = responses.findIndex((response) => response.status === 200);
    const final = await call("GET", taskPath(alice, task.id), { token: alice.token });
    expect(etagVersion(final)).toBe(etagVersion(new Response(null, { headers: { etag } })) + 1);
    expect(((await final.json()) as TaskJson).title).toBe(`Writer ${winner}`);
  });

  it("concurrent deletes with the same ETag: one 204, the rest 404 or 412, and the task is gone", async () => {
    const task = await createTask(alice, { title: "Delete me once" });
    const etag = (await call("GET", taskPath(alice, task.id), { token: alice.token })).headers.get("etag") ?? "";
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        call("DELETE", taskPath(alice, task.id), { token: alice.token, headers: { "If-Match": etag } }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(statuses.every((status) => [204, 404, 412].includes(status))).toBe(true);
    expect(await db().task.count({ where: { id: task.id } })).toBe(0);
  });

  it("Bob's concurrent writes to Alice's task all fail with 404 and change nothing", async () => {
    const task = await createTask(alice, { title: "Alice's" });
    const before = await readTask(alice, task.id);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? call("PATCH", `/api/${bob.id}/tasks/${task.id}`, { token: bob.token, json: { title: "Bob was here" } })
          : call("DELETE", `/api/${bob.id}/tasks/${task.id}`, { token: bob.token }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 404));
    expect(await readTask(alice, task.id)).toEqual(before);
  });
});
