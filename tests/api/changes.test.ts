import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { ChangeEvent } from "@/lib/changes/schema";
import type { ListJson } from "@/lib/lists/schema";
import type { TagJson } from "@/lib/tags/schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import {
  accountOf,
  apply,
  changesPath,
  drain,
  emptyMirror,
  feedNow,
  fetchChanges,
  plain,
  readChanges,
  summary,
} from "../support/changes.ts";
import { createList, listPath, tagNamed, tagPath } from "../support/organise.ts";
import { createTask, expectError, expectJson, taskPath } from "../support/tasks.ts";
import { signUp, type TestUser, twoUsers } from "../support/users.ts";

/**
 * The change feed, as a client that syncs uses it: every committed create, update and delete of a task, list or tag
 * is an event, in commit order, whose `data` is what a GET of the object answers; tokens resume exactly; deleted
 * objects leave tombstones. Retention, rollbacks and concurrency are in changes-retention.test.ts,
 * changes-rollback.test.ts and changes-concurrency.test.ts.
 */

function send(user: TestUser, method: string, path: string, json?: unknown, headers?: Record<string, string>) {
  return call(method, path, { token: user.token, json, headers });
}

async function read<T>(user: TestUser, path: string): Promise<T> {
  return expectJson<T>(await send(user, "GET", path), 200);
}

const upserts = (events: ChangeEvent[], type: ChangeEvent["type"]) =>
  events.filter((event) => event.type === type).map((event) => (event as { data: unknown }).data);

/**
 * The events since `since` are these writes' events, write after write in this order; within one write (one
 * transaction), these types and ids in any order. Returns them grouped by write.
 */
async function expectFeed(user: TestUser, since: string, writes: string[][]): Promise<ChangeEvent[][]> {
  const { events } = await drain(user, since);
  expect(events).toHaveLength(writes.flat().length);
  let at = 0;
  return writes.map((expected) => {
    const group = events.slice(at, at + expected.length);
    at += expected.length;
    expect(summary(group).sort()).toEqual([...expected].sort());
    return group;
  });
}

/** The data of the event of this object in one write's events. */
const dataOf = (group: ChangeEvent[] | undefined, id: string) =>
  (group?.find((event) => event.id === id) as { data?: unknown } | undefined)?.data;

describe("the change feed without since", () => {
  it("answers no events and a next for now, which then sees the changes made after it", async () => {
    const person = await signUp("Newcomer");
    const empty = await readChanges(person);
    expect(empty).toEqual({ events: [], next: expect.any(String) });
    const before = await createTask(person, { title: "Before the token" });

    const now = await feedNow(person);
    expect(now).not.toBe(empty.next);
    expect(await readChanges(person, { since: now })).toEqual({ events: [], next: now });
    const after = await createTask(person, { title: "After the token" });
    const page = await readChanges(person, { since: now });
    expect(summary(page.events)).toEqual([`task.upserted ${after.id}`]);
    expect(page.next).toBe(page.events[0]?.event_id);
    // The earlier token sees both; neither token is a task id or anything else than a string.
    expect(summary((await readChanges(person, { since: empty.next })).events)).toEqual([
      `task.upserted ${before.id}`,
      `task.upserted ${after.id}`,
    ]);
  });
});

describe("every write of a task, list or tag is an event whose data is what GET answers", () => {
  let person: TestUser;
  beforeAll(async () => {
    person = await signUp("Writer");
  });

  it("tasks: create, put, patch, move and delete, in order, each upsert equal to the task's GET then", async () => {
    const since = await feedNow(person);
    const created = await createTask(person, { title: "Pay rent", due_date: "2026-12-05", due_time: "09:30" });
    const createdGet = await read<TaskJson>(person, taskPath(person, created.id));
    const put = await expectJson<TaskJson>(
      await send(person, "PUT", taskPath(person, created.id), {
        title: "Pay the rent",
        description: "Before noon",
        completed: false,
        priority: "high",
        tags: ["Bills", "home"],
      }),
      200,
    );
    const putGet = await read<TaskJson>(person, taskPath(person, created.id));
    const other = await createTask(person, { title: "Other" });
    const patched = await expectJson<TaskJson>(
      await send(person, "PATCH", taskPath(person, created.id), { completed: true, due_date: null }),
      200,
    );
    const patchedGet = await read<TaskJson>(person, taskPath(person, created.id));
    const moved = await expectJson<TaskJson>(
      await send(person, "POST", `${taskPath(person, created.id)}/move`, { after: other.id }),
      200,
    );
    const movedGet = await read<TaskJson>(person, taskPath(person, created.id));
    expect(await send(person, "DELETE", taskPath(person, created.id))).toHaveProperty("status", 204);

    const [bills, home] = [await tagNamed(person, "Bills"), await tagNamed(person, "home")];
    const groups = await expectFeed(person, since, [
      [`task.upserted ${created.id}`],
      // The PUT: the task, and the two tags it made.
      [`task.upserted ${created.id}`, `tag.upserted ${bills.id}`, `tag.upserted ${home.id}`],
      [`task.upserted ${other.id}`],
      [`task.upserted ${created.id}`],
      [`task.upserted ${created.id}`],
      [`task.deleted ${created.id}`, `tag.upserted ${bills.id}`, `tag.upserted ${home.id}`],
    ]);
    const events = groups.flat();
    const tasks = upserts(events, "task.upserted");
    expect(tasks).toEqual([createdGet, putGet, other, patchedGet, movedGet]);
    expect([createdGet, putGet, patchedGet, movedGet]).toEqual([created, put, patched, moved]);
    expect(events.find((event) => event.type === "task.deleted")).toEqual({
      event_id: expect.any(String),
      type: "task.deleted",
      id: created.id,
    });
    // The tags' counts as they were: one task each, then none once it was deleted.
    expect([dataOf(groups[1], bills.id), dataOf(groups[1], home.id)]).toEqual([
      { id: bills.id, name: "Bills", task_count: 1 },
      { id: home.id, name: "home", task_count: 1 },
    ]);
    expect([dataOf(groups[5], bills.id), dataOf(groups[5], home.id)]).toEqual([
      { id: bills.id, name: "Bills", task_count: 0 },
      { id: home.id, name: "home", task_count: 0 },
    ]);
    expect(await read<TagJson>(person, tagPath(person, bills.id))).toEqual({ ...bills, task_count: 0 });
  });

  it("lists: create, rename, move and delete, each upsert equal to the list's GET then", async () => {
    const since = await feedNow(person);
    const first = await createList(person, "Groceries");
    const firstGet = await read<ListJson>(person, listPath(person, first.id));
    const second = await createList(person, "Work");
    const renamed = await expectJson<ListJson>(
      await send(person, "PATCH", listPath(person, first.id), { name: "Food" }),
      200,
    );
    const renamedGet = await read<ListJson>(person, listPath(person, first.id));
    const moved = await expectJson<ListJson>(
      await send(person, "POST", `${listPath(person, second.id)}/move`, { before: first.id }),
      200,
    );
    const movedGet = await read<ListJson>(person, listPath(person, second.id));
    expect(await send(person, "DELETE", listPath(person, first.id))).toHaveProperty("status", 204);

    const events = (
      await expectFeed(person, since, [
        [`list.upserted ${first.id}`],
        [`list.upserted ${second.id}`],
        [`list.upserted ${first.id}`],
        [`list.upserted ${second.id}`],
        [`list.deleted ${first.id}`],
      ])
    ).flat();
    expect(upserts(events, "list.upserted")).toEqual([firstGet, second, renamedGet, movedGet]);
    expect([firstGet, renamedGet, movedGet]).toEqual([first, renamed, moved]);
  });

  it("tags: made by a task, renamed and deleted, each upsert equal to the tag's GET then", async () => {
    const since = await feedNow(person);
    const task = await createTask(person, { title: "Water the plants", tags: ["garden"] });
    const garden = await tagNamed(person, "garden");
    const gardenGet = await read<TagJson>(person, tagPath(person, garden.id));
    const renamed = await expectJson<TagJson>(
      await send(person, "PATCH", tagPath(person, garden.id), { name: "Garden" }),
      200,
    );
    const renamedGet = await read<TagJson>(person, tagPath(person, garden.id));
    const renamedTask = await read<TaskJson>(person, taskPath(person, task.id));
    expect(await send(person, "DELETE", tagPath(person, garden.id))).toHaveProperty("status", 204);
    const untagged = await read<TaskJson>(person, taskPath(person, task.id));

    const events = (
      await expectFeed(person, since, [
        [`tag.upserted ${garden.id}`, `task.upserted ${task.id}`],
        [`tag.upserted ${garden.id}`, `task.upserted ${task.id}`],
        [`task.upserted ${task.id}`, `tag.deleted ${garden.id}`],
      ])
    ).flat();
    expect(upserts(events, "tag.upserted")).toEqual([gardenGet, renamedGet]);
    expect([gardenGet, renamedGet]).toEqual([{ ...garden, task_count: 1 }, renamed]);
    expect(upserts(events, "task.upserted")).toEqual([task, renamedTask, untagged]);
    expect(renamedTask.tags).toEqual(["Garden"]);
    expect(untagged.tags).toEqual([]);
  });
});

describe("what a write does to other objects is in the feed too", () => {
  it("deleting a list with ?tasks=move: each task to the Inbox, then the list", async () => {
    const person = await signUp("Mover");
    const list = await createList(person, "Chores");
    const tasks = [
      await createTask(person, { title: "Sweep", list_id: list.id }),
      await createTask(person, { title: "Mop", list_id: list.id }),
    ];
    const since = await feedNow(person);
    expect(await send(person, "DELETE", `${listPath(person, list.id)}?tasks=move`)).toHaveProperty("status", 204);
    const events = await drain(person, since);
    expect(summary(events.events).sort()).toEqual(
      [...tasks.map((task) => `task.upserted ${task.id}`), `list.deleted ${list.id}`].sort(),
    );
    expect(events.events.at(-1)?.type).toBe("list.deleted");
    for (const task of tasks) {
      const data = upserts(events.events, "task.upserted").find((data) => (data as TaskJson).id === task.id);
      expect(data).toEqual(await read<TaskJson>(person, taskPath(person, task.id)));
      expect(data).toMatchObject({ list_id: null, version: 2 });
    }
  });

  it("deleting a list with ?tasks=delete: every task deleted, its tags' counts, then the list", async () => {
    const person = await signUp("Cleaner");
    const list = await createList(person, "Old");
    const tasks = [];
    for (let i = 0; i < 30; i++)
      tasks.push(await createTask(person, { title: `Old ${i}`, list_id: list.id, tags: ["old"] }));
    const kept = await createTask(person, { title: "Kept", tags: ["old"] });
    const old = await tagNamed(person, "old");
    const since = await feedNow(person);
    expect(await send(person, "DELETE", `${listPath(person, list.id)}?tasks=delete`)).toHaveProperty("status", 204);

    const { events } = await drain(person, since, 7);
    const deleted = events.filter((event) => event.type === "task.deleted").map((event) => event.id);
    expect(deleted.sort()).toEqual(tasks.map((task) => task.id).sort());
    // One event for the tag (its count, as the transaction left it), however many of its tasks went.
    expect(upserts(events, "tag.upserted")).toEqual([{ id: old.id, name: "old", task_count: 1 }]);
    expect(events.at(-1)).toEqual({ event_id: expect.any(String), type: "list.deleted", id: list.id });
    expect(events).toHaveLength(32);
    expect(summary(events)).not.toContain(`task.upserted ${kept.id}`);
  });

  it("renaming or deleting a tag: the tag and every task that carries it", async () => {
    const person = await signUp("Tagger");
    const carriers = [
      await createTask(person, { title: "One", tags: ["errand"] }),
      await createTask(person, { title: "Two", tags: ["errand", "home"] }),
    ];
    const bystander = await createTask(person, { title: "Three", tags: ["home"] });
    const errand = await tagNamed(person, "errand");
    let since = await feedNow(person);
    await expectJson(await send(person, "PATCH", tagPath(person, errand.id), { name: "Errands" }), 200);
    let { events } = await drain(person, since);
    expect(summary(events).sort()).toEqual(
      [`tag.upserted ${errand.id}`, ...carriers.map((task) => `task.upserted ${task.id}`)].sort(),
    );
    for (const data of upserts(events, "task.upserted")) {
      expect(data).toEqual(await read<TaskJson>(person, taskPath(person, (data as TaskJson).id)));
      expect((data as TaskJson).tags).toContain("Errands");
    }

    since = (await drain(person, since)).next;
    expect(await send(person, "DELETE", tagPath(person, errand.id))).toHaveProperty("status", 204);
    ({ events } = await drain(person, since));
    expect(summary(events).sort()).toEqual(
      [`tag.deleted ${errand.id}`, ...carriers.map((task) => `task.upserted ${task.id}`)].sort(),
    );
    expect(events.at(-1)?.type).toBe("tag.deleted");
    expect(upserts(events, "task.upserted").map((data) => (data as TaskJson).tags)).toEqual([[], ["home"]]);
    expect(summary(events)).not.toContain(`task.upserted ${bystander.id}`);
  });

  it("giving a task a tag or taking it off: the task and the tag's count", async () => {
    const person = await signUp("Labeller");
    const task = await createTask(person, { title: "Call Ada", tags: ["phone"] });
    const other = await createTask(person, { title: "Call Bob", tags: ["phone"] });
    const phone = await tagNamed(person, "phone");
    const since = await feedNow(person);
    await expectJson(await send(person, "PATCH", taskPath(person, task.id), { tags: ["work"] }), 200);
    const work = await tagNamed(person, "work");
    const [events = []] = await expectFeed(person, since, [
      [`task.upserted ${task.id}`, `tag.upserted ${work.id}`, `tag.upserted ${phone.id}`],
    ]);
    expect([dataOf(events, work.id), dataOf(events, phone.id)]).toEqual([
      { id: work.id, name: "work", task_count: 1 },
      { id: phone.id, name: "phone", task_count: 1 },
    ]);
    expect(upserts(events, "task.upserted")).toEqual([await read<TaskJson>(person, taskPath(person, task.id))]);
    expect(summary(events)).not.toContain(`task.upserted ${other.id}`);
  });

  it("moving a task to another list: the task, with its new list and place", async () => {
    const person = await signUp("Shuffler");
    const list = await createList(person, "Later");
    const task = await createTask(person, { title: "Read" });
    const since = await feedNow(person);
    const moved = await expectJson<TaskJson>(
      await send(person, "POST", `${taskPath(person, task.id)}/move`, { list_id: list.id }),
      200,
    );
    const [events = []] = await expectFeed(person, since, [[`task.upserted ${task.id}`]]);
    expect(upserts(events, "task.upserted")).toEqual([moved]);
    expect(moved).toMatchObject({ list_id: list.id, version: 2 });
  });
});

describe("writes that bypass the routes are in the feed too", () => {
  it("a bulk import, tags given without a version bump, a tag renamed in SQL: each object once, as committed", async () => {
    const { db } = await import("@/lib/db");
    const person = await signUp("Importer");
    const since = await feedNow(person);
    await db().$executeRaw`
      INSERT INTO tasks (title, user_id, position)
      SELECT 'Imported ' || n, ${person.id}, 'a' || n FROM generate_series(1, 300) AS n`;
    await db().$executeRaw`
      INSERT INTO tags (name, name_key, user_id) VALUES ('bulk', 'bulk', ${person.id}), ('pair', 'pair', ${person.id})`;
    await db().$executeRaw`
      INSERT INTO task_tags (task_id, tag_id)
      SELECT task.id, tag.id FROM tasks AS task, tags AS tag
      WHERE task.user_id = ${person.id} AND tag.user_id = ${person.id} ORDER BY task.id`;
    await db().$executeRaw`UPDATE tags SET name = 'Bulk' WHERE user_id = ${person.id} AND name_key = 'bulk'`;

    const { events } = await drain(person, since, 100);
    const count = (type: string) => events.filter((event) => event.type === type).length;
    // The import, the two tags, each task once more for its two new tags, the two counts, the rename and its tasks.
    expect([count("task.upserted"), count("tag.upserted"), events.length]).toEqual([900, 5, 905]);
    const tasks = upserts(events, "task.upserted") as TaskJson[];
    expect(tasks.slice(300, 600).every((task) => task.tags.join() === "bulk,pair")).toBe(true);
    expect(tasks.slice(600).every((task) => task.tags.join() === "Bulk,pair")).toBe(true);
    expect(plain(apply(emptyMirror(), events))).toEqual(plain(await accountOf(person)));
  }, 60_000);
});

describe("a client that applies the feed mirrors the account", () => {
  it("after a mixed history of every kind of write, from the account's first event", async () => {
    const person = await signUp("Mirror");
    const origin = await feedNow(person);
    const inbox = await createTask(person, { title: "Inbox task", tags: ["a"] });
    const list = await createList(person, "L");
    const doomed = await createList(person, "Doomed");
    const inList = await createTask(person, { title: "In a list", list_id: list.id, tags: ["a", "b"] });
    await createTask(person, { title: "Goes with its list", list_id: doomed.id, tags: ["c"] });
    await send(person, "PATCH", taskPath(person, inbox.id), { completed: true, tags: ["b", "d"] });
    await send(person, "PATCH", tagPath(person, (await tagNamed(person, "b")).id), { name: "B" });
    await send(person, "DELETE", tagPath(person, (await tagNamed(person, "a")).id));
    await send(person, "DELETE", `${listPath(person, doomed.id)}?tasks=delete`);
    await send(person, "POST", `${taskPath(person, inList.id)}/move`, { list_id: null });
    await send(person, "DELETE", `${listPath(person, list.id)}`);
    await send(person, "PUT", taskPath(person, inList.id), { title: "Replaced", description: null, completed: false });

    const { events } = await drain(person, origin, 3);
    expect(plain(apply(emptyMirror(), events))).toEqual(plain(await accountOf(person)));
    // And the mirror is not trivially empty: tasks, tags (with counts) survive.
    const account = plain(await accountOf(person));
    expect(account.tasks).toHaveLength(2);
    expect(account.tags.map((tag) => [tag.name, tag.task_count]).sort()).toEqual([
      ["B", 1],
      ["c", 0],
      ["d", 1],
    ]);
  });
});

describe("tokens", () => {
  let person: TestUser;
  let origin: string;
  let events: ChangeEvent[];
  beforeAll(async () => {
    person = await signUp("Resumer");
    origin = await feedNow(person);
    const list = await createList(person, "Resume");
    for (let i = 0; i < 6; i++) await createTask(person, { title: `Task ${i}`, list_id: i % 2 ? list.id : null });
    const first = await createTask(person, { title: "Tagged", tags: ["x", "y"] });
    await send(person, "DELETE", taskPath(person, first.id));
    await send(person, "DELETE", `${listPath(person, list.id)}?tasks=move`);
    ({ events } = await drain(person, origin));
    expect(events.length).toBeGreaterThan(15);
  });

  it("every event_id resumes after that event: exactly the rest, in the same order", async () => {
    for (const [index, event] of events.entries()) {
      expect((await drain(person, event.event_id)).events, `after event ${index}`).toEqual(events.slice(index + 1));
    }
  });

  it("event ids are distinct and increasing, each the next after the last", async () => {
    const numbers = events.map((event) => BigInt(event.event_id));
    const start = BigInt(origin);
    expect(numbers).toEqual(numbers.map((_, index) => start + BigInt(index) + 1n));
  });

  it("pages of any limit join up to the whole feed; next resumes after the page", async () => {
    for (const limit of [1, 2, 5, 100]) {
      const page = await readChanges(person, { since: origin, limit });
      expect(page.events).toEqual(events.slice(0, limit));
      expect(page.next).toBe(events[Math.min(limit, events.length) - 1]?.event_id);
      expect((await drain(person, origin, limit)).events).toEqual(events);
    }
    // The default page is 50 events.
    const many = await signUp("Busy");
    const since = await feedNow(many);
    for (let i = 0; i < 55; i++) await createTask(many, { title: `Busy ${i}` });
    expect((await readChanges(many, { since })).events).toHaveLength(50);
    expect((await readChanges(many, { since, limit: 100 })).events).toHaveLength(55);
  });

  it("a limit out of 1–100, or not in decimal digits, is a 422 naming limit", async () => {
    for (const limit of ["0", "101", "-1", "abc", "1e1", " 5"]) {
      const body = await expectError(await fetchChanges(person, { since: origin, limit }), 422, "validation_error");
      expect(body.fields?.map((field) => field.field)).toEqual(["limit"]);
    }
  });

  it("a token the feed never gave out is a 400 invalid_cursor", async () => {
    for (const since of ["", "abc", "-1", "01", "1.5", " 1", "1 ", "9".repeat(19), "0x10", `${origin}a`]) {
      const body = await expectError(await fetchChanges(person, { since }), 400, "invalid_cursor");
      expect(body.detail).toMatch(/since/);
    }
  });

  it("a token ahead of the feed (a database restored from a backup) is a 410 resync_required", async () => {
    const last = BigInt(events.at(-1)?.event_id ?? "0");
    expect((await readChanges(person, { since: String(last) })).events).toEqual([]);
    const body = await expectError(await fetchChanges(person, { since: String(last + 1n) }), 410, "resync_required");
    expect(body.detail).toMatch(/without since/);
  });
});

describe("each user sees only their own feed", () => {
  it("another user's writes are never in it, and another user's feed is a 403; no token is a 401", async () => {
    const [alice, bob] = await twoUsers();
    const [aliceSince, bobSince] = [await feedNow(alice), await feedNow(bob)];
    const aliceList = await createList(alice, "Alice's");
    const aliceTask = await createTask(alice, { title: "Alice's", list_id: aliceList.id, tags: ["secret"] });
    const bobTask = await createTask(bob, { title: "Bob's", tags: ["secret"] });
    await send(alice, "PATCH", tagPath(alice, (await tagNamed(alice, "secret")).id), { name: "Secret" });
    await send(alice, "DELETE", taskPath(alice, aliceTask.id));

    const bobs = await drain(bob, bobSince);
    const bobTag = await tagNamed(bob, "secret");
    expect(summary(bobs.events).sort()).toEqual([`tag.upserted ${bobTag.id}`, `task.upserted ${bobTask.id}`].sort());
    expect(JSON.stringify(bobs.events)).not.toContain(alice.id);
    const alices = await drain(alice, aliceSince);
    expect(alices.events.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(alices.events)).not.toContain(bob.id);

    // Bob's token on Alice's path, even with Alice's own since; and no token at all.
    await expectError(await fetchChanges(alice, { since: aliceSince }, bob.token), 403, "forbidden");
    await expectError(await call("GET", `${changesPath(alice)}?since=${aliceSince}`), 401, "invalid_token");
    // A token of Alice's feed on Bob's path reads Bob's own events, never Alice's.
    const crossed = await readChanges(bob, { since: "0" });
    expect(JSON.stringify(crossed.events)).not.toContain(aliceTask.id);
  });

  it("deleting an account deletes its events and its feed row", async () => {
    const { db } = await import("@/lib/db");
    const person = await signUp("Leaver");
    await createTask(person, { title: "Soon gone", tags: ["t"] });
    await createList(person, "Soon gone");
    // The task, the tag it made (with its count as committed), the list.
    expect(await db().change.count({ where: { userId: person.id } })).toBe(3);
    await db().user.delete({ where: { id: person.id } });
    expect(await db().change.count({ where: { userId: person.id } })).toBe(0);
    expect(await db().changeFeed.count({ where: { userId: person.id } })).toBe(0);
  });
});

describe("the route", () => {
  it("takes only GET (405 with Allow) and a preflight; another user id in the path is a 403", async () => {
    const person = await signUp("Router");
    const response = await call("POST", changesPath(person), { token: person.token, json: {} });
    await expectError(response, 405, "method_not_allowed");
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const preflight = await call("OPTIONS", changesPath(person), {
      headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    await expectError(await fetchChanges({ ...person, id: randomUUID() }), 403, "forbidden");
  });
});
