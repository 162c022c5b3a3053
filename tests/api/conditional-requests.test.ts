import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { expectUnchanged, fetchTask, readTask, unknownTaskId } from "../support/requests.ts";
import { createTask, expectError, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

let person: TestUser;

beforeAll(async () => {
  person = await signUp("Conditional");
});

afterEach(() => {
  vi.useRealTimers();
});

const STRONG_ETAG = /^"[^"]+"$/;

function send(method: string, taskId: string, headers: Record<string, string> = {}, json?: unknown) {
  return call(method, taskPath(person, taskId), { token: person.token, headers, json });
}

const put = (id: string, headers: Record<string, string> = {}) =>
  send("PUT", id, headers, { title: "Replaced", description: null, completed: true });
const patch = (id: string, headers: Record<string, string> = {}) => send("PATCH", id, headers, { title: "Patched" });
const remove = (id: string, headers: Record<string, string> = {}) => send("DELETE", id, headers);

/** A fresh task and the ETag a GET gives for it. */
async function taskWithTag(): Promise<{ task: TaskJson; etag: string }> {
  const task = await createTask(person, { title: "Original", description: "as created" });
  const response = await fetchTask(person, task.id);
  expect(response.status).toBe(200);
  return { task, etag: response.headers.get("etag") ?? "" };
}

describe("ETags on responses", () => {
  it("GET one task carries a strong ETag", async () => {
    const { etag } = await taskWithTag();
    expect(etag).toMatch(STRONG_ETAG);
  });

  it("POST carries the new task's ETag, the one a GET then gives", async () => {
    const response = await call("POST", tasksPath(person), { token: person.token, json: { title: "Tagged" } });
    expect(response.status).toBe(201);
    const etag = response.headers.get("etag");
    expect(etag).toMatch(STRONG_ETAG);
    const task = (await response.json()) as TaskJson;
    expect((await fetchTask(person, task.id)).headers.get("etag")).toBe(etag);
  });

  it.each([
    ["PUT", put],
    ["PATCH", patch],
  ])("%s carries the new ETag, different from the old one and equal to a later GET's", async (_, write) => {
    const { task, etag } = await taskWithTag();
    const response = await write(task.id);
    expect(response.status).toBe(200);
    const newTag = response.headers.get("etag");
    expect(newTag).toMatch(STRONG_ETAG);
    expect(newTag).not.toBe(etag);
    expect((await fetchTask(person, task.id)).headers.get("etag")).toBe(newTag);
  });

  it("two writes in the same millisecond give different ETags", async () => {
    const { task, etag } = await taskWithTag();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 60_000 });
    const first = await patch(task.id);
    const second = await send("PATCH", task.id, {}, { completed: true });
    const [a, b] = [(await first.json()) as TaskJson, (await second.json()) as TaskJson];
    expect(a.updated_at).toBe(b.updated_at);
    const tags = [etag, first.headers.get("etag"), second.headers.get("etag")];
    expect(new Set(tags).size).toBe(3);
  });

  it("the task JSON does not gain a version field", async () => {
    const { task } = await taskWithTag();
    const response = await patch(task.id);
    expect(Object.keys((await response.json()) as object).sort()).toEqual(Object.keys(task).sort());
  });
});

describe("If-None-Match on GET", () => {
  it("the current ETag gives 304 with no body and the ETag", async () => {
    const { task, etag } = await taskWithTag();
    const response = await fetchTaskWith(task.id, { "If-None-Match": etag });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(etag);
    expect(await response.text()).toBe("");
  });

  it("the weak form of the current ETag also gives 304", async () => {
    const { task, etag } = await taskWithTag();
    expect((await fetchTaskWith(task.id, { "If-None-Match": `W/${etag}` })).status).toBe(304);
  });

  it("a list that contains the current ETag gives 304", async () => {
    const { task, etag } = await taskWithTag();
    expect((await fetchTaskWith(task.id, { "If-None-Match": `"stale", ${etag}` })).status).toBe(304);
  });

  it("* gives 304 for an existing task", async () => {
    const { task } = await taskWithTag();
    expect((await fetchTaskWith(task.id, { "If-None-Match": "*" })).status).toBe(304);
  });

  it("a stale ETag gives 200 with the task and its new ETag", async () => {
    const { task, etag } = await taskWithTag();
    const changed = await patch(task.id);
    const response = await fetchTaskWith(task.id, { "If-None-Match": etag });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(changed.headers.get("etag"));
    expect(((await response.json()) as TaskJson).title).toBe("Patched");
  });

  it("a missing task is still 404", async () => {
    await expectError(await fetchTaskWith(unknownTaskId(), { "If-None-Match": "*" }), 404, "not_found");
  });
});

function fetchTaskWith(taskId: string, headers: Record<string, string>) {
  return send("GET", taskId, headers);
}

describe.each([
  ["PUT", put, 200],
  ["PATCH", patch, 200],
  ["DELETE", remove, 204],
] as const)("If-Match on %s", (method, write, success) => {
  it("the current ETag lets the write through", async () => {
    const { task, etag } = await taskWithTag();
    expect((await write(task.id, { "If-Match": etag })).status).toBe(success);
    if (method === "DELETE") expect((await fetchTask(person, task.id)).status).toBe(404);
    else expect((await readTask(person, task.id)).title).not.toBe("Original");
  });

  it("a stale ETag is 412 precondition_failed and the task is unchanged", async () => {
    const { task, etag } = await taskWithTag();
    const moved = await send("PATCH", task.id, {}, { description: "moved on" });
    const current = (await moved.json()) as TaskJson;
    await expectError(await write(task.id, { "If-Match": etag }), 412, "precondition_failed");
    await expectUnchanged(person, current);
    expect((await fetchTask(person, task.id)).headers.get("etag")).toBe(moved.headers.get("etag"));
  });

  it.each(['"9999999999"', '"2147483648"', '"0"', '"-1"', '"1.5"', '"abc"'])(
    "If-Match: %s, which no version can have, is 412 and the task is unchanged",
    async (tag) => {
      const { task } = await taskWithTag();
      const before = await readTask(person, task.id);
      await expectError(await write(task.id, { "If-Match": tag }), 412, "precondition_failed");
      await expectUnchanged(person, before);
    },
  );

  it("a weak ETag never matches (strong comparison): 412", async () => {
    const { task, etag } = await taskWithTag();
    await expectError(await write(task.id, { "If-Match": `W/${etag}` }), 412, "precondition_failed");
    await expectUnchanged(person, task);
  });

  it("a list containing the current ETag lets the write through", async () => {
    const { task, etag } = await taskWithTag();
    expect((await write(task.id, { "If-Match": `"999999", ${etag}` })).status).toBe(success);
  });

  it("* matches any existing task", async () => {
    const { task } = await taskWithTag();
    await send("PATCH", task.id, {}, { description: "moved on" });
    expect((await write(task.id, { "If-Match": "*" })).status).toBe(success);
  });

  it("* on a missing task is 404", async () => {
    await expectError(await write(unknownTaskId(), { "If-Match": "*" }), 404, "not_found");
  });

  it("an ETag on a missing task is 404, not 412", async () => {
    const { etag } = await taskWithTag();
    await expectError(await write(unknownTaskId(), { "If-Match": etag }), 404, "not_found");
  });

  it("an ETag on another user's task is 404, not 412", async () => {
    const other = await signUp("Other");
    const theirs = await createTask(other, { title: "Theirs" });
    await expectError(await write(theirs.id, { "If-Match": '"1"' }), 404, "not_found");
    expect(await readTask(other, theirs.id)).toEqual(theirs);
  });

  it("without If-Match the last write wins, as before", async () => {
    const { task } = await taskWithTag();
    await send("PATCH", task.id, {}, { description: "moved on" });
    expect((await write(task.id)).status).toBe(success);
  });
});

describe("two clients editing one task", () => {
  it("the second, holding the stale ETag, gets 412; after re-reading it succeeds", async () => {
    const { task } = await taskWithTag();
    const [alice, bob] = [await fetchTask(person, task.id), await fetchTask(person, task.id)];
    const aliceTag = alice.headers.get("etag") ?? "";
    const bobTag = bob.headers.get("etag") ?? "";
    expect(aliceTag).toBe(bobTag);

    const aliceWrite = await send("PATCH", task.id, { "If-Match": aliceTag }, { title: "Alice's title" });
    expect(aliceWrite.status).toBe(200);
    const afterAlice = (await aliceWrite.json()) as TaskJson;

    const bobWrite = await send(
      "PUT",
      task.id,
      { "If-Match": bobTag },
      { title: "Bob's title", description: null, completed: false },
    );
    await expectError(bobWrite, 412, "precondition_failed");
    await expectUnchanged(person, afterAlice);

    const fresh = await fetchTask(person, task.id);
    const retry = await send(
      "PUT",
      task.id,
      { "If-Match": fresh.headers.get("etag") ?? "" },
      { title: "Bob's title", description: null, completed: false },
    );
    expect(retry.status).toBe(200);
    expect((await readTask(person, task.id)).title).toBe("Bob's title");
  });

  it("of two concurrent writes with the same ETag exactly one succeeds", async () => {
    const { task, etag } = await taskWithTag();
    const results = await Promise.all([
      send("PATCH", task.id, { "If-Match": etag }, { title: "first" }),
      send("PATCH", task.id, { "If-Match": etag }, { title: "second" }),
    ]);
    expect(results.map((response) => response.status).sort()).toEqual([200, 412]);
  });
});
