import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { TaskJson, TaskSummaryJson } from "@/lib/tasks/schema";
import { addDays, wallClock } from "@/lib/time-zone";
import { call } from "../support/app.ts";
import { expectValidationError, readTask } from "../support/requests.ts";
import { createTask, expectError, expectJson, taskPath, tasksPath } from "../support/tasks.ts";
import { type TestUser, twoUsers } from "../support/users.ts";

const ids = (tasks: { id: string }[]) => tasks.map((task) => task.id);

async function list(user: TestUser, query: string): Promise<TaskJson[]> {
  const response = await call("GET", `${tasksPath(user)}?${query}`, { token: user.token });
  return expectJson<TaskJson[]>(response, 200);
}

/** Every page of a query, following `Link`, so orders are checked across page boundaries too. */
async function listAll(user: TestUser, query: string): Promise<TaskJson[]> {
  const tasks: TaskJson[] = [];
  let path: string | undefined = `${tasksPath(user)}?${query}`;
  while (path) {
    const response = await call("GET", path, { token: user.token });
    expect(response.status, await response.clone().text()).toBe(200);
    tasks.push(...((await response.json()) as TaskJson[]));
    const next = response.headers.get("link")?.match(/<([^>]+)>/)?.[1];
    path = next ? new URL(next).pathname + new URL(next).search : undefined;
  }
  return tasks;
}

const send = (user: TestUser, method: string, path: string, json?: unknown, headers?: Record<string, string>) =>
  call(method, path, { token: user.token, json, headers });

/** A list made straight in the database: the list routes have tests of their own. */
async function makeList(user: TestUser, name: string): Promise<string> {
  const list = await db().taskList.create({
    data: { name, nameKey: name.toLowerCase(), position: `a${name.length % 10}`, userId: user.id },
  });
  return list.id;
}

async function summaryOf(user: TestUser, query = ""): Promise<TaskSummaryJson> {
  const response = await call("GET", `/api/${user.id}/tasks/summary${query}`, { token: user.token });
  return expectJson<TaskSummaryJson>(response, 200);
}

describe("a person organises tasks with lists, due dates, priority and tags", () => {
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    [alice, bob] = await twoUsers();
  });

  it("a seed-style task takes every new field's default", async () => {
    const task = await createTask(alice, { title: "Plain" });
    expect(task).toMatchObject({ list_id: null, due_date: null, due_time: null, priority: "none", tags: [] });
    expect(task.version).toBe(1);
    expect(task.position).toMatch(/^[0-9A-Za-z]+$/);
  });

  it("a task keeps what it was given, and PUT resets what it leaves out", async () => {
    const home = await makeList(alice, "Home");
    const task = await createTask(alice, {
      title: "Pay rent",
      list_id: home,
      due_date: "2026-12-05",
      due_time: "09:00",
      priority: "high",
      tags: ["bills", "Home", "home", " bills "],
    });
    expect(task).toMatchObject({ list_id: home, due_date: "2026-12-05", due_time: "09:00", priority: "high" });
    expect(task.tags).toEqual(["bills", "Home"]);
    expect(await readTask(alice, task.id)).toEqual(task);

    const replaced = await send(alice, "PUT", taskPath(alice, task.id), {
      title: "Pay rent",
      description: null,
      completed: false,
    });
    expect(replaced.status).toBe(200);
    const reset = (await replaced.json()) as TaskJson;
    expect(reset).toMatchObject({
      list_id: null,
      due_date: null,
      due_time: null,
      priority: "none",
      tags: [],
      version: 2,
    });
    // Out of Home, into the Inbox: at the top of it, as a new task would be.
    expect((await list(alice, "list_id=inbox&sort=position"))[0]?.id).toBe(task.id);
  });

  it("a task put in another list goes to its top; other changes keep its place", async () => {
    const errands = await makeList(alice, "Errands");
    const older = await createTask(alice, { title: "Older errand", list_id: errands });
    const task = await createTask(alice, { title: "Moving in" });
    const kept = await send(alice, "PATCH", taskPath(alice, task.id), { priority: "low", list_id: null });
    expect(((await kept.json()) as TaskJson).position).toBe(task.position);
    await createTask(alice, { title: "Newer errand", list_id: errands });
    expect((await send(alice, "PATCH", taskPath(alice, task.id), { list_id: errands })).status).toBe(200);
    const order = (await list(alice, `list_id=${errands}&sort=position`)).map((t) => t.title);
    expect(order).toEqual(["Moving in", "Newer errand", older.title]);
  });

  it("a tag already used in another case is that tag, in its first spelling", async () => {
    await createTask(alice, { title: "First", tags: ["Errands"] });
    const second = await createTask(alice, { title: "Second", tags: ["ERRANDS", "car"] });
    expect(second.tags).toEqual(["car", "Errands"]);
  });

  it("due dates: a real calendar date, a time only with a date, and PATCH keeps or clears them as documented", async () => {
    await expectValidationError(await send(alice, "POST", tasksPath(alice), { title: "x", due_date: "2026-02-30" }));
    await expectValidationError(await send(alice, "POST", tasksPath(alice), { title: "x", due_date: "0000-01-01" }));
    await expectValidationError(await send(alice, "POST", tasksPath(alice), { title: "x", due_time: "09:00" }));
    await expectValidationError(
      await send(alice, "POST", tasksPath(alice), { title: "x", due_date: "2026-12-05", due_time: "24:00" }),
    );
    const undated = await createTask(alice, { title: "Undated" });
    const timeOnly = await send(alice, "PATCH", taskPath(alice, undated.id), { due_time: "10:00" });
    const refused = await expectValidationError(timeOnly, "due_time");
    expect(refused.detail).toMatch(/due_date/);
    expect(await readTask(alice, undated.id)).toEqual(undated);

    const dated = await createTask(alice, { title: "Dated", due_date: "2028-02-29", due_time: "08:15" });
    const moved = await send(alice, "PATCH", taskPath(alice, dated.id), { due_date: "2028-03-01" });
    expect(await moved.json()).toMatchObject({ due_date: "2028-03-01", due_time: "08:15" });
    const retimed = await send(alice, "PATCH", taskPath(alice, dated.id), { due_time: "18:30" });
    expect(await retimed.json()).toMatchObject({ due_date: "2028-03-01", due_time: "18:30" });
    const cleared = await send(alice, "PATCH", taskPath(alice, dated.id), { due_date: null });
    expect(await cleared.json()).toMatchObject({ due_date: null, due_time: null });
  });

  it("at most 20 tags of at most 50 characters, none empty", async () => {
    const tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    await expectValidationError(await send(alice, "POST", tasksPath(alice), { title: "x", tags }), "tags");
    await expectValidationError(await send(alice, "POST", tasksPath(alice), { title: "x", tags: ["a".repeat(51)] }));
    await expectValidationError(await send(alice, "POST", tasksPath(alice), { title: "x", tags: ["  "] }));
    await expectValidationError(await send(alice, "POST", tasksPath(alice), { title: "x", priority: "urgent" }));
  });

  it("Bob cannot put a task in Alice's list, and a list filter naming hers shows him nothing", async () => {
    const alicesList = await makeList(alice, "Secret");
    await createTask(alice, { title: "Alice's secret", list_id: alicesList });
    const body = await expectValidationError(
      await send(bob, "POST", tasksPath(bob), { title: "Sneak in", list_id: alicesList }),
      "list_id",
    );
    expect(body.fields?.[0]?.message).toMatch(/no list/);
    const bobs = await createTask(bob, { title: "Bob's" });
    await expectValidationError(await send(bob, "PATCH", taskPath(bob, bobs.id), { list_id: alicesList }), "list_id");
    await expectValidationError(await send(bob, "PATCH", taskPath(bob, bobs.id), { list_id: randomUUID() }), "list_id");
    expect(await list(bob, `list_id=${alicesList}`)).toEqual([]);
    expect(await list(alice, `list_id=${alicesList}`)).toHaveLength(1);
    await expectValidationError(await send(bob, "GET", `${tasksPath(bob)}?list_id=nope`), "list_id");
  });

  it("Bob's tag filter naming Alice's tag finds only his own tasks", async () => {
    await createTask(alice, { title: "Alice tagged", tags: ["private"] });
    expect(await list(bob, "tag=private")).toEqual([]);
    const his = await createTask(bob, { title: "Bob tagged", tags: ["Private"] });
    expect(ids(await list(bob, "tag=private"))).toEqual([his.id]);
  });
});

describe("the list endpoint filters and orders by the new fields", () => {
  let carol: TestUser;
  let work: string;
  const made: Record<string, TaskJson> = {};

  beforeAll(async () => {
    [carol] = await twoUsers();
    work = await makeList(carol, "Work");
    const rows: [string, Record<string, unknown>][] = [
      ["a", { due_date: "2026-12-05", due_time: "09:00", priority: "low", tags: ["x", "y"], list_id: work }],
      ["b", { due_date: "2026-12-05", priority: "high", tags: ["x"] }],
      ["c", { due_date: "2026-12-04", due_time: "23:00", priority: "medium", tags: ["y"], list_id: work }],
      ["d", { priority: "high" }],
      ["e", { due_date: "2026-12-05", due_time: "08:00" }],
      ["f", {}],
      ["g", { due_date: "2027-01-01", completed: true, list_id: work }],
    ];
    for (const [title, fields] of rows) made[title] = await createTask(carol, { title, ...fields });
  });

  const titles = (tasks: TaskJson[]) => tasks.map((task) => task.title);

  it("sort=due_date: by date, the timed tasks of a day before its all-day ones, undated last by id", async () => {
    const undated = ["d", "f"].sort((a, b) => (made[a]?.id ?? "").localeCompare(made[b]?.id ?? ""));
    expect(titles(await listAll(carol, "sort=due_date&limit=2"))).toEqual(["c", "e", "a", "b", "g", ...undated]);
    expect(titles(await listAll(carol, "sort=-due_date&limit=2"))).toEqual([
      "g",
      "b",
      "a",
      "e",
      "c",
      ...undated.reverse(),
    ]);
  });

  it("sort=priority and -priority rank none < low < medium < high, and priority= filters", async () => {
    const ranked = titles(await listAll(carol, "sort=-priority&limit=3"));
    expect(ranked.slice(0, 2).sort()).toEqual(["b", "d"]);
    expect(ranked.slice(2, 4)).toEqual(["c", "a"]);
    expect(
      titles(await listAll(carol, "sort=priority&limit=3"))
        .slice(-2)
        .sort(),
    ).toEqual(["b", "d"]);
    expect(titles(await list(carol, "priority=high")).sort()).toEqual(["b", "d"]);
  });

  it("list_id, inbox, tags (all of them), due ranges and completed combine", async () => {
    expect(titles(await list(carol, `list_id=${work}&sort=title`))).toEqual(["a", "c", "g"]);
    expect(titles(await list(carol, "list_id=inbox&sort=title"))).toEqual(["b", "d", "e", "f"]);
    expect(titles(await list(carol, "tag=x&sort=title"))).toEqual(["a", "b"]);
    expect(titles(await list(carol, "tag=X&tag=y"))).toEqual(["a"]);
    expect(titles(await list(carol, "tag=nothing"))).toEqual([]);
    expect(titles(await list(carol, "due_after=2026-12-05&due_before=2026-12-31&sort=title"))).toEqual(["a", "b", "e"]);
    expect(titles(await list(carol, `list_id=${work}&completed=false&sort=title`))).toEqual(["a", "c"]);
  });

  it("a cursor from one filter is refused for another", async () => {
    const response = await call("GET", `${tasksPath(carol)}?sort=due_date&limit=1`, { token: carol.token });
    const cursor = new URL(response.headers.get("link")?.match(/<([^>]+)>/)?.[1] ?? "").searchParams.get("cursor");
    const reused = await call("GET", `${tasksPath(carol)}?sort=due_date&limit=1&tag=x&cursor=${cursor}`, {
      token: carol.token,
    });
    await expectError(reused, 400, "invalid_cursor");
  });
});

describe("views are computed on the user's own calendar", () => {
  let dave: TestUser;
  const zone = "Pacific/Kiritimati"; // UTC+14: its date is often not UTC's.

  beforeAll(async () => {
    [dave] = await twoUsers();
  });

  it("today, upcoming and overdue follow tz=, then the stored time zone", async () => {
    const { date: today } = wallClock(zone);
    const yesterday = addDays(today, -1);
    const made = {
      overdue: await createTask(dave, { title: "overdue", due_date: yesterday }),
      earlier: await createTask(dave, { title: "earlier today", due_date: today, due_time: "00:00" }),
      today: await createTask(dave, { title: "today", due_date: today }),
      week: await createTask(dave, { title: "in six days", due_date: addDays(today, 6) }),
      later: await createTask(dave, { title: "in seven days", due_date: addDays(today, 7) }),
      done: await createTask(dave, { title: "done", due_date: yesterday, completed: true }),
      undated: await createTask(dave, { title: "undated" }),
    };
    const titles = async (query: string) => (await list(dave, query)).map((task) => task.title);
    const tz = `tz=${encodeURIComponent(zone)}`;
    // 00:00 today has passed unless it is exactly midnight there, so that timed task is overdue too.
    expect(await titles(`view=today&${tz}`)).toEqual(["overdue", "earlier today", "today"]);
    expect(await titles(`view=upcoming&${tz}`)).toEqual(["earlier today", "today", "in six days"]);
    const overdue = await titles(`view=overdue&${tz}`);
    expect(overdue[0]).toBe("overdue");
    expect(overdue.slice(1)).toEqual(wallClock(zone).time > "00:00" ? ["earlier today"] : []);

    expect(
      (await call("GET", `/api/${dave.id}/settings`, { token: dave.token }).then((r) => r.json())) as unknown,
    ).toEqual({ time_zone: null });
    const set = await send(dave, "PATCH", `/api/${dave.id}/settings`, { time_zone: zone });
    expect(await set.json()).toEqual({ time_zone: zone });
    expect(await titles("view=today")).toEqual(["overdue", "earlier today", "today"]);
    const counts = await summaryOf(dave);
    expect(counts.views).toEqual({ today: 3, upcoming: 3, overdue: overdue.length });
    expect(counts).toMatchObject({ total: 7, active: 6, completed: 1, inbox: 6 });
    void made;
  });

  it("an unknown time zone is a 422, for tz= and for the setting", async () => {
    await expectValidationError(await send(dave, "GET", `${tasksPath(dave)}?view=today&tz=Mars/Olympus`), "tz");
    await expectValidationError(await send(dave, "PATCH", `/api/${dave.id}/settings`, { time_zone: "Nowhere" }));
    await expectValidationError(await send(dave, "GET", `${tasksPath(dave)}?view=tomorrow`), "view");
    const aliased = await send(dave, "PATCH", `/api/${dave.id}/settings`, { time_zone: "utc" });
    expect(await aliased.json()).toEqual({ time_zone: "UTC" });
  });

  it("Eve cannot read or change Dave's settings", async () => {
    const [eve] = await twoUsers();
    await expectError(await send(eve, "GET", `/api/${dave.id}/settings`), 403, "forbidden");
    await expectError(
      await send(eve, "PATCH", `/api/${dave.id}/settings`, { time_zone: "Asia/Tokyo" }),
      403,
      "forbidden",
    );
  });
});

describe("a person puts tasks in their own order", () => {
  let erin: TestUser;
  let frank: TestUser;

  beforeAll(async () => {
    [erin, frank] = await twoUsers();
  });

  const order = async (user: TestUser, listId = "inbox") =>
    (await list(user, `list_id=${listId}&sort=position`)).map((task) => task.title);
  const move = (user: TestUser, taskId: string, body: unknown, headers?: Record<string, string>) =>
    send(user, "POST", `${taskPath(user, taskId)}/move`, body, headers);

  it("new tasks come first; a move writes only the moved task", async () => {
    const one = await createTask(erin, { title: "one" });
    const two = await createTask(erin, { title: "two" });
    const three = await createTask(erin, { title: "three" });
    expect(await order(erin)).toEqual(["three", "two", "one"]);

    const moved = await move(erin, three.id, { after: one.id });
    expect(moved.status, await moved.clone().text()).toBe(200);
    const task = (await moved.json()) as TaskJson;
    expect(moved.headers.get("etag")).toBe(`"${task.version}"`);
    expect(task.version).toBe(three.version + 1);
    expect(await order(erin)).toEqual(["two", "one", "three"]);
    expect(await readTask(erin, one.id)).toEqual(one);
    expect(await readTask(erin, two.id)).toEqual(two);

    expect((await move(erin, one.id, { before: two.id })).status).toBe(200);
    expect(await order(erin)).toEqual(["one", "two", "three"]);
    expect((await move(erin, three.id, {})).status).toBe(200);
    expect(await order(erin)).toEqual(["three", "one", "two"]);
    // Many moves into the same gap keep working (fractional keys grow, nothing is renumbered); the last puts
    // "three" after "one".
    for (let i = 0; i < 30; i++) {
      const [first, second] = i % 2 === 0 ? [one, three] : [three, one];
      expect((await move(erin, first.id, { after: second.id })).status).toBe(200);
    }
    expect(await order(erin)).toEqual(["one", "three", "two"]);
  });

  it("a move to another list lands where asked in that list", async () => {
    const errands = await makeList(erin, "Errands");
    const stamp = await createTask(erin, { title: "stamps", list_id: errands });
    const milk = await createTask(erin, { title: "milk" });
    const moved = await move(erin, milk.id, { list_id: errands, after: stamp.id });
    expect(await moved.json()).toMatchObject({ list_id: errands });
    expect(await order(erin, errands)).toEqual(["stamps", "milk"]);
    await expectValidationError(await move(erin, milk.id, { list_id: null, after: stamp.id }), "after");
    await expectValidationError(await move(erin, milk.id, { before: stamp.id, after: stamp.id }), "after");
    await expectValidationError(await move(erin, milk.id, { after: milk.id }), "after");
  });

  it("If-Match guards a move; Frank can neither move Erin's task nor move his relative to hers", async () => {
    const mine = await createTask(erin, { title: "guarded" });
    await expectError(await move(erin, mine.id, {}, { "If-Match": '"99"' }), 412, "precondition_failed");
    expect((await move(erin, mine.id, {}, { "If-Match": `"${mine.version}"` })).status).toBe(200);

    await expectError(await send(frank, "POST", `${taskPath(erin, mine.id)}/move`, {}), 403, "forbidden");
    await expectError(await move(frank, mine.id, {}), 404, "not_found");
    const his = await createTask(frank, { title: "his" });
    await expectValidationError(await move(frank, his.id, { after: mine.id }), "after");
    const erinsList = await makeList(erin, "Private");
    await expectValidationError(await move(frank, his.id, { list_id: erinsList }), "list_id");
    expect((await readTask(erin, mine.id)).version).toBe(mine.version + 1);
  });
});

describe("the summary counts per list, view and tag", () => {
  it("counts open tasks only, and none of another user's", async () => {
    const [gina, hank] = await twoUsers();
    const garden = await makeList(gina, "Garden");
    await createTask(gina, { title: "a", list_id: garden, tags: ["out"] });
    await createTask(gina, { title: "b", list_id: garden, tags: ["out", "Tools"], completed: true });
    await createTask(gina, { title: "c", tags: ["tools"] });
    await createTask(hank, { title: "h", tags: ["out"] });
    const counts = await summaryOf(gina, "?tz=Europe/Paris");
    const tags = await db().tag.findMany({ where: { userId: gina.id }, orderBy: { nameKey: "asc" } });
    expect(counts).toEqual({
      total: 3,
      active: 2,
      completed: 1,
      inbox: 1,
      views: { today: 0, upcoming: 0, overdue: 0 },
      lists: { [garden]: 1 },
      tags: { [tags[0]?.id ?? ""]: 1, [tags[1]?.id ?? ""]: 1 },
    });
    await expectValidationError(await call("GET", `/api/${gina.id}/tasks/summary?tz=Nowhere`, { token: gina.token }));
  });
});
