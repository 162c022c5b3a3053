import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BATCH_MAX_BODY_BYTES, type BatchResult } from "@/lib/tasks/batch-schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { feedNow, readChanges } from "../support/changes.ts";
import { expectUnchanged, readTask } from "../support/requests.ts";
import { createTask, expectError, expectJson, listTasks, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser, twoUsers } from "../support/users.ts";

/**
 * `POST /api/{userId}/tasks/batch`, as a script that changes many tasks at once uses it: each operation answered as
 * its single-task request would be, in order; `atomic` all or nothing; a malformed batch refused whole.
 */

const batchPath = (user: { id: string }) => `${tasksPath(user)}/batch`;

function batch(user: TestUser, body: unknown, headers?: Record<string, string>) {
  return call("POST", batchPath(user), { token: user.token, json: body, headers });
}

async function results(user: TestUser, body: unknown): Promise<BatchResult[]> {
  return (await expectJson<{ results: BatchResult[] }>(await batch(user, body), 200)).results;
}

const creates = (count: number, prefix = "Task") =>
  Array.from({ length: count }, (_, index) => ({ op: "create", body: { title: `${prefix} ${index}` } }));

describe("a batch of task operations", () => {
  it("creates, updates and deletes in order, each answered as its own request would be", async () => {
    const alice = await signUp();
    const [edited, removed] = [await createTask(alice, { title: "Edit me" }), await createTask(alice)];
    const answers = await results(alice, {
      operations: [
        { op: "create", body: { title: "New", tags: ["home"], priority: "high" } },
        { op: "update", id: edited.id, body: { completed: true } },
        { op: "delete", id: removed.id },
      ],
    });
    expect(answers.map((answer) => answer.status)).toEqual([201, 200, 204]);
    const created = answers[0]?.body as TaskJson;
    expect(await readTask(alice, created.id)).toEqual(created);
    expect(created).toMatchObject({ title: "New", tags: ["home"], priority: "high", version: 1 });
    expect(answers[1]?.body).toEqual(await readTask(alice, edited.id));
    expect(answers[1]?.body).toMatchObject({ completed: true, version: 2 });
    expect(answers[2]).toEqual({ status: 204 });
    expect((await call("GET", taskPath(alice, removed.id), { token: alice.token })).status).toBe(404);
  });

  it("checks each body as the single-task routes do: a bad one is that operation's 422, the others apply", async () => {
    const alice = await signUp();
    const task = await createTask(alice);
    const answers = await results(alice, {
      operations: [
        { op: "create", body: { title: "" } },
        { op: "create", body: { title: "Fine" } },
        { op: "update", id: task.id, body: {} },
        { op: "create", body: { title: "Ok", list_id: randomUUID() } },
        { op: "update", id: task.id, body: { due_time: "09:00" } },
      ],
    });
    expect(answers.map((answer) => answer.status)).toEqual([422, 201, 422, 422, 422]);
    expect(answers[0]?.error).toMatchObject({ error: "validation_error", fields: [{ field: "body.title" }] });
    expect(answers[3]?.error).toMatchObject({ error: "validation_error", fields: [{ field: "list_id" }] });
    expect(answers[4]?.error).toMatchObject({ error: "validation_error", fields: [{ field: "due_time" }] });
    expect((await listTasks(alice)).map((each) => each.title).sort()).toEqual(["Buy milk", "Fine"]);
    await expectUnchanged(alice, task);
  });

  it("takes if_match as the If-Match header: a stale ETag is that operation's 412 and changes nothing", async () => {
    const alice = await signUp();
    const [a, b, c] = [await createTask(alice), await createTask(alice), await createTask(alice)];
    const answers = await results(alice, {
      operations: [
        { op: "update", id: a.id, body: { title: "Current" }, if_match: `"${a.version}"` },
        { op: "update", id: b.id, body: { title: "Stale" }, if_match: `"${b.version + 1}"` },
        { op: "delete", id: c.id, if_match: 'W/"1"' },
        { op: "update", id: a.id, body: { completed: true }, if_match: "*" },
      ],
    });
    expect(answers.map((answer) => answer.status)).toEqual([200, 412, 412, 200]);
    expect(answers[1]?.error?.error).toBe("precondition_failed");
    expect(answers[3]?.body).toMatchObject({ title: "Current", completed: true, version: 3 });
    await expectUnchanged(alice, b);
    await expectUnchanged(alice, c);
  });

  it("never reaches another user's tasks: each such operation is a 404, as a missing task is", async () => {
    const [alice, bob] = await twoUsers();
    const bobs = await createTask(bob, { title: "Bob's" });
    const answers = await results(alice, {
      operations: [
        { op: "update", id: bobs.id, body: { title: "Taken" } },
        { op: "update", id: bobs.id, body: { title: "Taken" }, if_match: `"${bobs.version}"` },
        { op: "delete", id: bobs.id },
        { op: "delete", id: "not-a-uuid" },
      ],
    });
    expect(answers.map((answer) => [answer.status, answer.error?.error])).toEqual(
      Array.from({ length: 4 }, () => [404, "not_found"]),
    );
    await expectUnchanged(bob, bobs);
    expect((await batch(alice, { operations: creates(1) }, {})).status).toBe(200);
    expect((await call("POST", batchPath(bob), { token: alice.token, json: { operations: creates(1) } })).status).toBe(
      403,
    );
    expect(await listTasks(bob)).toEqual([bobs]);
  });

  it("atomic: 100 operations with one failing change nothing, in the tasks or the change feed", async () => {
    const alice = await signUp();
    const existing = await createTask(alice, { title: "Kept" });
    const since = await feedNow(alice);
    const operations = [...creates(60), { op: "update", id: existing.id, body: { title: "Changed" } }, ...creates(39)];
    operations[80] = { op: "update", id: randomUUID(), body: { title: "Nobody" } };
    const answers = await results(alice, { operations, atomic: true });
    expect(answers).toHaveLength(100);
    expect(answers[80]).toMatchObject({ status: 404, error: { error: "not_found" } });
    for (const [index, answer] of answers.entries()) {
      if (index === 80) continue;
      expect(answer.status).toBe(424);
      expect(answer.error?.error).toBe("not_applied");
      expect(answer.error?.detail).toContain("operations[80]");
      expect(answer.body).toBeUndefined();
    }
    expect(await listTasks(alice)).toEqual([existing]);
    expect((await readChanges(alice, { since })).events).toEqual([]);
  });

  it("atomic: a stale if_match rolls back the operations before it, and the batch can be sent again fixed", async () => {
    const alice = await signUp();
    const task = await createTask(alice, { title: "Versioned" });
    const operations = [
      { op: "create", body: { title: "Before" } },
      { op: "update", id: task.id, body: { title: "Renamed" }, if_match: `"${task.version}"` },
      { op: "update", id: task.id, body: { completed: true }, if_match: `"${task.version}"` },
    ];
    const answers = await results(alice, { operations, atomic: true });
    expect(answers.map((answer) => answer.status)).toEqual([424, 424, 412]);
    expect(answers[2]?.error?.error).toBe("precondition_failed");
    expect(await listTasks(alice)).toEqual([task]);
    operations[2] = { op: "update", id: task.id, body: { completed: true }, if_match: `"${task.version + 1}"` };
    const fixed = await results(alice, { operations, atomic: true });
    expect(fixed.map((answer) => answer.status)).toEqual([201, 200, 200]);
    expect(fixed[2]?.body).toMatchObject({ title: "Renamed", completed: true, version: 3 });
  });

  it("atomic: an invalid body refuses the batch before anything is written, naming every invalid one", async () => {
    const alice = await signUp();
    const answers = await results(alice, {
      operations: [...creates(2), { op: "create", body: { title: 5 } }, { op: "create", body: {} }],
      atomic: true,
    });
    expect(answers.map((answer) => answer.status)).toEqual([424, 424, 422, 422]);
    expect(await listTasks(alice)).toEqual([]);
  });

  it("atomic: all apply together, one event per task in one transaction", async () => {
    const alice = await signUp();
    const since = await feedNow(alice);
    const answers = await results(alice, { operations: creates(100), atomic: true });
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    const tasks = await call("GET", `${tasksPath(alice)}?limit=100`, { token: alice.token });
    expect((await expectJson<TaskJson[]>(tasks, 200)).length).toBe(100);
    const { events } = await readChanges(alice, { since, limit: 100 });
    expect(events.map((event) => event.id)).toEqual(answers.map((answer) => answer.body?.id));
  });

  it("non-atomic: 100 operations with one failing apply the 99 others, each with its own event", async () => {
    const alice = await signUp();
    const since = await feedNow(alice);
    const operations: unknown[] = creates(100);
    operations[50] = { op: "delete", id: randomUUID() };
    const answers = await results(alice, { operations });
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(99);
    expect(answers[50]).toMatchObject({ status: 404, error: { error: "not_found" } });
    const { events } = await readChanges(alice, { since, limit: 100 });
    expect(events.map((event) => event.type)).toEqual(Array.from({ length: 99 }, () => "task.upserted"));
    expect(events.map((event) => event.id)).toEqual(answers.flatMap((answer) => answer.body?.id ?? []));
  });

  it("costs the API budget one request per operation", { timeout: 40_000 }, async () => {
    const alice = await signUp();
    const remaining = (response: Response) => Number(response.headers.get("ratelimit-remaining"));
    let first = await call("GET", tasksPath(alice), { token: alice.token });
    // The budget is a fixed window: a test that straddled its end would see it full again. Start in a fresh one then.
    const resetSeconds = Number(first.headers.get("ratelimit-reset"));
    if (resetSeconds < 15) {
      await new Promise((resolve) => setTimeout(resolve, (resetSeconds + 1) * 1000));
      first = await call("GET", tasksPath(alice), { token: alice.token });
    }
    const before = remaining(first);
    const response = await batch(alice, { operations: creates(100) });
    expect(response.status).toBe(200);
    expect(remaining(response)).toBe(before - 100);
    const single = await batch(alice, { operations: creates(1) });
    expect(remaining(single)).toBe(before - 101);
    expect(remaining(await call("GET", tasksPath(alice), { token: alice.token }))).toBe(before - 102);
  });

  it("refuses a malformed batch whole, doing nothing: not an array, over 100, an unknown op, a missing id", async () => {
    const alice = await signUp();
    const refused = [
      { operations: { op: "create" } },
      { operations: creates(101) },
      { operations: [] },
      { operations: [...creates(1), { op: "upsert", body: { title: "x" } }] },
      { operations: [...creates(1), { op: "update", body: { title: "x" } }] },
      { operations: [...creates(1), { op: "delete", id: 7 }] },
      { operations: creates(1), atomic: "yes" },
      { operations: creates(1), extra: true },
      [creates(1)],
    ];
    for (const body of refused) {
      const error = await expectError(await batch(alice, body), 422, "validation_error");
      expect(error.fields?.length).toBeGreaterThan(0);
    }
    expect(
      (
        await call("POST", batchPath(alice), {
          token: alice.token,
          body: "{",
          headers: { "Content-Type": "application/json" },
        })
      ).status,
    ).toBe(400);
    expect(await listTasks(alice)).toEqual([]);
  });

  it("takes 100 operations of the largest tasks the rules allow (4-byte characters), and refuses more bytes", async () => {
    const alice = await signUp();
    const body = {
      title: "😀".repeat(500),
      description: "😀".repeat(5000),
      completed: false,
      list_id: null,
      due_date: "2026-12-31",
      due_time: "23:59",
      priority: "medium",
      tags: Array.from({ length: 20 }, (_, index) => `${"😀".repeat(48)}${String(index).padStart(2, "0")}`),
    };
    const answers = await results(alice, { operations: Array.from({ length: 100 }, () => ({ op: "create", body })) });
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    const padding = " ".repeat(BATCH_MAX_BODY_BYTES);
    const tooLarge = await call("POST", batchPath(alice), {
      token: alice.token,
      body: `{"operations": []${padding}}`,
      headers: { "Content-Type": "application/json" },
    });
    await expectError(tooLarge, 413, "payload_too_large");
  });
});
