import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sweepExpiredKeys } from "@/lib/idempotency/store";
import type { BatchResult } from "@/lib/tasks/batch-schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { feedNow, readChanges } from "../support/changes.ts";
import { allowConsoleError } from "../support/console-guard.ts";
import { createList, listPath, listsOf, listsPath } from "../support/organise.ts";
import { readTask } from "../support/requests.ts";
import { createTask, expectError, expectJson, listTasks, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser, twoUsers } from "../support/users.ts";

/**
 * `Idempotency-Key` on every POST, as a script that retries after a timeout uses it: the same key and request within
 * 24 hours get the first answer again without a second write; another request under the key is refused; keys are
 * each user's own.
 */

function post(user: TestUser, path: string, json: unknown, key?: string, headers: Record<string, string> = {}) {
  return call("POST", path, {
    token: user.token,
    json,
    headers: key === undefined ? headers : { ...headers, "Idempotency-Key": key },
  });
}

/** What a client can tell of an answer: its status, the headers that describe the result, and the body. */
async function seen(response: Response) {
  return {
    status: response.status,
    location: response.headers.get("location"),
    etag: response.headers.get("etag"),
    contentType: response.headers.get("content-type"),
    body: await response.text(),
  };
}

describe("Idempotency-Key", () => {
  it("a create retried 20 times at once makes one task, and all 20 answers are the same", async () => {
    const alice = await signUp();
    const since = await feedNow(alice);
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post(alice, tasksPath(alice), { title: "Once" }, key)),
    );
    const answers = await Promise.all(responses.map(seen));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]?.status).toBe(201);
    const replayed = responses.filter((response) => response.headers.get("idempotent-replayed") === "true");
    expect(replayed).toHaveLength(19);
    const tasks = await listTasks(alice);
    expect(tasks.map((task) => task.title)).toEqual(["Once"]);
    expect(JSON.parse(answers[0]?.body ?? "")).toEqual(tasks[0]);
    expect((await readChanges(alice, { since })).events).toHaveLength(1);
  });

  it("a batch retried 10 times at once under one key applies once", async () => {
    const alice = await signUp();
    const operations = Array.from({ length: 20 }, (_, index) => ({ op: "create", body: { title: `T${index}` } }));
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(alice, `${tasksPath(alice)}/batch`, { operations }, "batch-once")),
    );
    const answers = await Promise.all(responses.map(seen));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    const tasks = await call("GET", `${tasksPath(alice)}?limit=100`, { token: alice.token });
    expect(await expectJson<TaskJson[]>(tasks, 200)).toHaveLength(20);
  });

  it("replays the first answer's status, Location, ETag, Content-Type and body, after later changes too", async () => {
    const alice = await signUp();
    const first = await post(alice, tasksPath(alice), { title: "Milk" }, "retry-1");
    const original = await seen(first);
    expect(original.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const task = JSON.parse(original.body) as TaskJson;
    await call("PATCH", taskPath(alice, task.id), { token: alice.token, json: { completed: true } });

    const again = await post(alice, tasksPath(alice), { title: "Milk" }, "retry-1");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(await seen(again)).toEqual(original);
    expect((await listTasks(alice)).map((each) => each.id)).toEqual([task.id]);
    expect((await readTask(alice, task.id)).completed).toBe(true);
  });

  it("refuses the key for another request (body, path or method) with a 422, and writes nothing", async () => {
    const alice = await signUp();
    await expectJson(await post(alice, tasksPath(alice), { title: "First" }, "k"), 201);
    const otherBody = await post(alice, tasksPath(alice), { title: "Second" }, "k");
    const body = await expectError(otherBody, 422, "idempotency_key_reused");
    expect(body.fields).toBeUndefined();
    await expectError(await post(alice, listsPath(alice), { title: "First" }, "k"), 422, "idempotency_key_reused");
    // The same JSON written differently is the same request.
    const respaced = await call("POST", tasksPath(alice), {
      token: alice.token,
      body: '{ "title" : "First" }',
      headers: { "Content-Type": "application/json", "Idempotency-Key": "k" },
    });
    expect(respaced.status).toBe(201);
    expect(respaced.headers.get("idempotent-replayed")).toBe("true");
    expect((await listTasks(alice)).map((task) => task.title)).toEqual(["First"]);
  });

  it("is each user's own: another user sending the same key and body gets a write of their own", async () => {
    const [alice, bob] = await twoUsers();
    const alices = await expectJson<TaskJson>(await post(alice, tasksPath(alice), { title: "Same" }, "shared"), 201);
    const bobResponse = await post(bob, tasksPath(bob), { title: "Same" }, "shared");
    const bobs = await expectJson<TaskJson>(bobResponse, 201);
    expect(bobResponse.headers.get("idempotent-replayed")).toBeNull();
    expect(bobs.id).not.toBe(alices.id);
    expect(bobs.user_id).toBe(bob.id);
    expect((await listTasks(alice)).map((task) => task.id)).toEqual([alices.id]);
    expect((await listTasks(bob)).map((task) => task.id)).toEqual([bobs.id]);
    // Bob's key is not Alice's either way: Alice's replay is still her own answer.
    const replay = await post(alice, tasksPath(alice), { title: "Same" }, "shared");
    expect(await replay.json()).toEqual(alices);
  });

  it("replays a refusal too: a 422, a 404 and a 409 come back as first given, even once the cause is gone", async () => {
    const alice = await signUp();
    const invalid = await seen(await post(alice, tasksPath(alice), { title: "" }, "bad"));
    expect(invalid.status).toBe(422);
    const replayed = await post(alice, tasksPath(alice), { title: "" }, "bad");
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(await seen(replayed)).toEqual(invalid);

    const missingTask = randomUUID();
    const move = (key: string) => post(alice, `${taskPath(alice, missingTask)}/move`, {}, key);
    await expectError(await move("move"), 404, "not_found");
    await expectError(await move("move"), 404, "not_found");

    const list = await createList(alice, "Home");
    await expectError(await post(alice, listsPath(alice), { name: "home" }, "dup"), 409, "conflict");
    await call("DELETE", listPath(alice, list.id), { token: alice.token });
    const stillRefused = await post(alice, listsPath(alice), { name: "home" }, "dup");
    await expectError(stillRefused, 409, "conflict");
    expect(stillRefused.headers.get("idempotent-replayed")).toBe("true");
    expect(await listsOf(alice)).toEqual([]);
    // A new key is a new request.
    await expectJson(await post(alice, listsPath(alice), { name: "home" }, "dup-2"), 201);
  });

  it("keeps no 5xx: a request that fails on the server's side leaves the key free, and its retry writes once", async () => {
    const alice = await signUp();
    allowConsoleError(/internal error|boom/);
    // A fault in the database for this user's inserts only: the write fails after the key was claimed.
    await db().$executeRawUnsafe(`
      CREATE FUNCTION test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.user_id = '${alice.id}' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`);
    await db().$executeRawUnsafe(
      "CREATE TRIGGER boom BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION test_boom()",
    );
    let failed: Response;
    try {
      failed = await post(alice, tasksPath(alice), { title: "Retried" }, "after-500");
    } finally {
      await db().$executeRawUnsafe("DROP TRIGGER boom ON tasks");
      await db().$executeRawUnsafe("DROP FUNCTION test_boom()");
    }
    await expectError(failed, 500, "internal_error");
    const retried = await post(alice, tasksPath(alice), { title: "Retried" }, "after-500");
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    await expectJson(retried, 201);
    const replayed = await post(alice, tasksPath(alice), { title: "Retried" }, "after-500");
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect((await listTasks(alice)).map((task) => task.title)).toEqual(["Retried"]);
  });

  it("holds a key for 24 hours: after that the same request is a new one", async () => {
    const alice = await signUp();
    const first = await expectJson<TaskJson>(await post(alice, tasksPath(alice), { title: "Daily" }, "daily"), 201);
    const dayAgo = (hours: number) => db().$executeRaw`
      UPDATE idempotency_keys SET created_at = now() - make_interval(hours => ${hours})
      WHERE user_id = ${alice.id} AND key = 'daily'`;
    await dayAgo(23);
    const within = await post(alice, tasksPath(alice), { title: "Daily" }, "daily");
    expect(within.headers.get("idempotent-replayed")).toBe("true");
    await dayAgo(25);
    const after = await post(alice, tasksPath(alice), { title: "Daily" }, "daily");
    expect(after.headers.get("idempotent-replayed")).toBeNull();
    const second = await expectJson<TaskJson>(after, 201);
    expect(second.id).not.toBe(first.id);
    // And the key now holds the new answer, for another 24 hours.
    expect(await (await post(alice, tasksPath(alice), { title: "Daily" }, "daily")).json()).toEqual(second);
    expect(await listTasks(alice)).toHaveLength(2);
  });

  it("sweeps keys older than 24 hours, and only those", async () => {
    const alice = await signUp();
    await expectJson(await post(alice, tasksPath(alice), { title: "Old" }, "old"), 201);
    await expectJson(await post(alice, tasksPath(alice), { title: "Recent" }, "recent"), 201);
    await db().$executeRaw`
      UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = ${alice.id} AND key = 'old'`;
    expect(await sweepExpiredKeys()).toBeGreaterThanOrEqual(1);
    const left = await db().idempotencyKey.findMany({ where: { userId: alice.id }, select: { key: true } });
    expect(left.map((row) => row.key)).toEqual(["recent"]);
  });

  it("refuses a key that is empty, longer than 255 characters or not printable ASCII, with a 400 and no write", async () => {
    const alice = await signUp();
    for (const key of ["", "k".repeat(256), "caf\u00e9", "tab\there"]) {
      await expectError(await post(alice, tasksPath(alice), { title: "x" }, key), 400, "invalid_idempotency_key");
    }
    await expectJson(await post(alice, tasksPath(alice), { title: "x" }, "k".repeat(255)), 201);
    await expectJson(await post(alice, tasksPath(alice), { title: "y" }, "printable ~!@# key"), 201);
    expect(await listTasks(alice)).toHaveLength(2);
  });

  it("works on every POST: list create, task and list moves, and the batch (replayed, not applied again)", async () => {
    const alice = await signUp();
    const [a, b] = [await createTask(alice, { title: "A" }), await createTask(alice, { title: "B" })];
    for (let attempt = 0; attempt < 2; attempt++) {
      await expectJson(await post(alice, listsPath(alice), { name: "Work" }, "list"), 201);
      const moved = await expectJson<TaskJson>(
        await post(alice, `${taskPath(alice, a.id)}/move`, { after: b.id }, "move"),
        200,
      );
      expect(moved.version).toBe(2);
    }
    const [work] = await listsOf(alice);
    const other = await createList(alice, "Other");
    for (let attempt = 0; attempt < 2; attempt++) {
      const moved = await post(alice, `${listPath(alice, other.id)}/move`, { before: work?.id }, "list-move");
      expect((await expectJson<{ version: number }>(moved, 200)).version).toBe(2);
    }
    const operations = [
      { op: "create", body: { title: "C" } },
      { op: "update", id: b.id, body: { title: "B2" } },
      { op: "delete", id: randomUUID() },
    ];
    const firstBatch = await seen(await post(alice, `${tasksPath(alice)}/batch`, { operations }, "batch"));
    const secondBatch = await post(alice, `${tasksPath(alice)}/batch`, { operations }, "batch");
    expect(secondBatch.headers.get("idempotent-replayed")).toBe("true");
    expect(await seen(secondBatch)).toEqual(firstBatch);
    const { results } = JSON.parse(firstBatch.body) as { results: BatchResult[] };
    expect(results.map((result) => result.status)).toEqual([201, 200, 404]);
    expect((await listTasks(alice)).map((task) => task.title).sort()).toEqual(["A", "B2", "C"]);
    expect((await readTask(alice, b.id)).version).toBe(2);
  });

  it("an atomic batch under a key that fails is kept as answered: nothing applied, and the replay says the same", async () => {
    const alice = await signUp();
    const operations = [
      { op: "create", body: { title: "C" } },
      { op: "delete", id: randomUUID() },
    ];
    const first = await seen(await post(alice, `${tasksPath(alice)}/batch`, { operations, atomic: true }, "atomic"));
    const again = await seen(await post(alice, `${tasksPath(alice)}/batch`, { operations, atomic: true }, "atomic"));
    expect(again).toEqual(first);
    const { results } = JSON.parse(first.body) as { results: BatchResult[] };
    expect(results.map((result) => result.status)).toEqual([424, 404]);
    expect(await listTasks(alice)).toEqual([]);
  });

  it("answers 409 while another transaction holds the key, and the key is free once that one rolls back", async () => {
    const alice = await signUp();
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ($1, 'held', 'x', now())",
        [alice.id],
      );
      const busy = await post(alice, tasksPath(alice), { title: "Held" }, "held");
      await expectError(busy, 409, "idempotency_key_in_use");
      expect(busy.headers.get("retry-after")).toBe("1");
      await holder.query("ROLLBACK");
    } finally {
      await holder.end();
    }
    await expectJson(await post(alice, tasksPath(alice), { title: "Held" }, "held"), 201);
    expect(await listTasks(alice)).toHaveLength(1);
  });
});
