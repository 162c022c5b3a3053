import { randomUUID } from "node:crypto";
import { generateNKeysBetween } from "fractional-indexing";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { ListJson } from "@/lib/lists/schema";
import { call } from "../support/app.ts";
import { createList, listPath, listsOf, listsPath } from "../support/organise.ts";
import {
  expectUnchanged,
  expectValidationError,
  fetchTask,
  ISO_UTC_PATTERN,
  readTask,
  sleep,
  UUID_PATTERN,
} from "../support/requests.ts";
import { createTask, expectError, expectJson } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

const LIST_FIELDS = ["created_at", "id", "name", "position", "updated_at", "version"];

const names = (lists: ListJson[]) => lists.map((list) => list.name);

function send(user: TestUser, method: string, path: string, json?: unknown, headers?: Record<string, string>) {
  return call(method, path, { token: user.token, json, headers });
}

async function readList(user: TestUser, listId: string): Promise<ListJson> {
  const response = await send(user, "GET", listPath(user, listId));
  return expectJson<ListJson>(response, 200);
}

/** A person of their own per test, so each order and count starts from nothing. */
let person: TestUser;

describe("a person keeps named lists", () => {
  beforeAll(async () => {
    person = await signUp("Lister");
  });

  it("creates a list: 201 with Location and ETag, the name trimmed, version 1", async () => {
    const response = await send(person, "POST", listsPath(person), { name: "  Groceries  " });
    expect(response.status).toBe(201);
    const list = (await response.json()) as ListJson;
    expect(Object.keys(list).sort()).toEqual(LIST_FIELDS);
    expect(list).toMatchObject({ name: "Groceries", version: 1, created_at: list.updated_at });
    expect(list.id).toMatch(UUID_PATTERN);
    expect(list.created_at).toMatch(ISO_UTC_PATTERN);
    expect(response.headers.get("location")).toBe(`http://localhost:3000${listPath(person, list.id)}`);
    expect(response.headers.get("etag")).toBe('"1"');

    const read = await send(person, "GET", listPath(person, list.id));
    expect(read.headers.get("etag")).toBe('"1"');
    expect(await read.json()).toEqual(list);
  });

  it("refuses a name that is empty, blank, too long, not a string, NUL or a lone surrogate, and unknown fields", async () => {
    const path = listsPath(person);
    const before = await listsOf(person);
    for (const name of ["", "   ", "x".repeat(101), null, 7, "a\u0000b", "bad \ud800 half"]) {
      await expectValidationError(await send(person, "POST", path, { name }), "name");
    }
    await expectValidationError(await send(person, "POST", path, {}), "name");
    await expectValidationError(await send(person, "POST", path, { name: "Fine", position: "a0" }), "position");
    expect(await listsOf(person)).toEqual(before);
  });

  it("takes 100 characters as people count them (an emoji is one)", async () => {
    expect((await createList(person, "🍎".repeat(100))).name).toBe("🍎".repeat(100));
    expect((await createList(person, ` ${"y".repeat(100)} `)).name).toBe("y".repeat(100));
  });

  it("a name the person already has, in any case, is 409 conflict and nothing is created", async () => {
    await createList(person, "Work");
    const before = await listsOf(person);
    for (const name of ["Work", "WORK", " work "]) {
      await expectError(await send(person, "POST", listsPath(person), { name }), 409, "conflict");
    }
    expect(await listsOf(person)).toEqual(before);
  });

  it("lists created at once each get a key of their own after the others; one name sent twice at once is one list", async () => {
    const racer = await signUp("Racer");
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, index) => send(racer, "POST", listsPath(racer), { name: `Racing ${index}` })),
    );
    expect(created.map((response) => response.status)).toEqual(Array(8).fill(201));
    const positions = (await listsOf(racer)).map((list) => list.position);
    expect(new Set(positions).size).toBe(8);

    const twice = await Promise.all([1, 2].map(() => send(racer, "POST", listsPath(racer), { name: "Same" })));
    expect(twice.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(names(await listsOf(racer)).filter((name) => name === "Same")).toHaveLength(1);
  });

  it("an unknown id and an id that is no UUID are the same 404", async () => {
    const unknown = await expectError(await send(person, "GET", listPath(person, randomUUID())), 404, "not_found");
    const malformed = await expectError(await send(person, "GET", listPath(person, "not-a-uuid")), 404, "not_found");
    expect(malformed).toEqual(unknown);
    for (const method of ["PATCH", "DELETE"]) {
      const json = method === "PATCH" ? { name: "Nope" } : undefined;
      expect(await expectError(await send(person, method, listPath(person, "nope"), json), 404, "not_found")).toEqual(
        unknown,
      );
    }
  });

  it("GET with If-None-Match: 304 without a body for the current ETag, 200 for a stale one", async () => {
    const list = await createList(person, "Cached");
    const current = await send(person, "GET", listPath(person, list.id), undefined, { "If-None-Match": '"1"' });
    expect(current.status).toBe(304);
    expect(current.headers.get("etag")).toBe('"1"');
    expect(await current.text()).toBe("");
    await send(person, "PATCH", listPath(person, list.id), { name: "Cached again" });
    const stale = await send(person, "GET", listPath(person, list.id), undefined, { "If-None-Match": '"1"' });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("etag")).toBe('"2"');
  });
});

describe("renaming a list", () => {
  beforeAll(async () => {
    person = await signUp("Renamer");
  });

  it("PATCH {name}: the new name, version + 1, a later updated_at and the new ETag", async () => {
    const list = await createList(person, "Hom");
    await sleep(5);
    const response = await send(person, "PATCH", listPath(person, list.id), { name: " Home " });
    expect(response.status).toBe(200);
    const renamed = (await response.json()) as ListJson;
    expect(renamed).toEqual({ ...list, name: "Home", version: 2, updated_at: renamed.updated_at });
    expect(Date.parse(renamed.updated_at)).toBeGreaterThan(Date.parse(list.updated_at));
    expect(response.headers.get("etag")).toBe('"2"');
    expect(await readList(person, list.id)).toEqual(renamed);
  });

  it("to its own name in another case is allowed; to another list's name, in any case, is 409", async () => {
    const home = await createList(person, "garden");
    const other = await createList(person, "Shed");
    const recased = await send(person, "PATCH", listPath(person, home.id), { name: "Garden" });
    expect(recased.status).toBe(200);
    expect(((await recased.json()) as ListJson).name).toBe("Garden");

    const before = await readList(person, other.id);
    await expectError(await send(person, "PATCH", listPath(person, other.id), { name: "GARDEN" }), 409, "conflict");
    expect(await readList(person, other.id)).toEqual(before);
  });

  it("If-Match: a stale ETag is 412 and nothing changes; the current one or * lets it through", async () => {
    const list = await createList(person, "Versioned");
    const path = listPath(person, list.id);
    await expectError(
      await send(person, "PATCH", path, { name: "Stale" }, { "If-Match": '"2"' }),
      412,
      "precondition_failed",
    );
    await expectError(
      await send(person, "PATCH", path, { name: "Weak" }, { "If-Match": 'W/"1"' }),
      412,
      "precondition_failed",
    );
    expect(await readList(person, list.id)).toEqual(list);
    expect((await send(person, "PATCH", path, { name: "Fresh" }, { "If-Match": '"1"' })).status).toBe(200);
    expect((await send(person, "PATCH", path, { name: "Any" }, { "If-Match": "*" })).status).toBe(200);
    expect((await readList(person, list.id)).version).toBe(3);
    const missing = await send(person, "PATCH", listPath(person, randomUUID()), { name: "X" }, { "If-Match": '"1"' });
    await expectError(missing, 404, "not_found");
  });

  it("refuses an empty body, unknown fields and a bad name with 422", async () => {
    const list = await createList(person, "Strict");
    const path = listPath(person, list.id);
    await expectValidationError(await send(person, "PATCH", path, {}), "name");
    await expectValidationError(await send(person, "PATCH", path, { name: "Ok", version: 9 }), "version");
    await expectValidationError(await send(person, "PATCH", path, { name: "" }), "name");
    expect(await readList(person, list.id)).toEqual(list);
  });
});

describe("the order of lists", () => {
  let lists: Record<string, ListJson>;

  beforeAll(async () => {
    person = await signUp("Orderer");
    lists = {};
    for (const name of ["A", "B", "C", "D"]) lists[name] = await createList(person, name);
  });

  const move = (name: string, body: unknown, headers?: Record<string, string>) =>
    send(person, "POST", `${listPath(person, lists[name]?.id ?? "")}/move`, body, headers);

  it("GET lists them all in the order they were created, each new one last, positions ascending as bytes", async () => {
    const all = await listsOf(person);
    expect(names(all)).toEqual(["A", "B", "C", "D"]);
    const positions = all.map((list) => list.position);
    expect([...positions].sort()).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
  });

  it("before and after put a list next to another, writing only the moved list", async () => {
    const untouched = await listsOf(person);
    const response = await move("D", { before: lists.B?.id });
    expect(response.status).toBe(200);
    const moved = (await response.json()) as ListJson;
    expect(moved).toMatchObject({ id: lists.D?.id, version: 2 });
    expect(response.headers.get("etag")).toBe('"2"');
    const after = await listsOf(person);
    expect(names(after)).toEqual(["A", "D", "B", "C"]);
    expect(after.filter((list) => list.name !== "D")).toEqual(untouched.filter((list) => list.name !== "D"));

    expect((await move("A", { after: lists.C?.id })).status).toBe(200);
    expect(names(await listsOf(person))).toEqual(["D", "B", "C", "A"]);
    expect((await move("B", { after: lists.A?.id })).status).toBe(200);
    expect(names(await listsOf(person))).toEqual(["D", "C", "A", "B"]);
    expect((await move("B", { before: lists.D?.id })).status).toBe(200);
    expect(names(await listsOf(person))).toEqual(["B", "D", "C", "A"]);
    expect((await move("C", { after: lists.D?.id })).status).toBe(200);
    expect(names(await listsOf(person))).toEqual(["B", "D", "C", "A"]);
  });

  it("a list created after moves still goes last", async () => {
    lists.E = await createList(person, "E");
    expect(names(await listsOf(person))).toEqual(["B", "D", "C", "A", "E"]);
  });

  it("refuses neither, both, a non-UUID, an unknown list and the list itself, naming the field; nothing moves", async () => {
    const before = await listsOf(person);
    await expectValidationError(await move("A", {}), "(body)");
    await expectValidationError(await move("A", { before: lists.B?.id, after: lists.C?.id }), "after");
    await expectValidationError(await move("A", { before: "B" }), "before");
    await expectValidationError(await move("A", { after: randomUUID() }), "after");
    await expectValidationError(await move("A", { before: lists.A?.id }), "before");
    await expectValidationError(await move("A", { before: lists.B?.id, to: "top" }), "to");
    expect(await listsOf(person)).toEqual(before);
  });

  it("honours If-Match (412, nothing moves) and is 404 for a list that is not there", async () => {
    const before = await listsOf(person);
    await expectError(await move("E", { before: lists.B?.id }, { "If-Match": '"7"' }), 412, "precondition_failed");
    expect(await listsOf(person)).toEqual(before);
    const missing = await send(person, "POST", `${listPath(person, randomUUID())}/move`, { before: lists.B?.id });
    await expectError(missing, 404, "not_found");
    const malformed = await send(person, "POST", `${listPath(person, "nope")}/move`, { before: lists.B?.id });
    await expectError(malformed, 404, "not_found");
    expect((await move("E", { before: lists.B?.id }, { "If-Match": '"1"' })).status).toBe(200);
    expect(names(await listsOf(person))[0]).toBe("E");
  });
});

describe("deleting a list", () => {
  beforeAll(async () => {
    person = await signUp("Deleter");
  });

  /** A list with two tasks in it, and a task in the Inbox that must never change. */
  async function listWithTasks(name: string) {
    const list = await createList(person, name);
    const tasks = [
      await createTask(person, { title: `${name} 1`, list_id: list.id, tags: ["home"] }),
      await createTask(person, { title: `${name} 2`, list_id: list.id }),
    ];
    const bystander = await createTask(person, { title: `Not in ${name}` });
    return { list, tasks, bystander };
  }

  const remove = (list: ListJson, query = "", headers?: Record<string, string>) =>
    send(person, "DELETE", `${listPath(person, list.id)}${query}`, undefined, headers);

  it("an empty list is deleted (204) and is gone", async () => {
    const list = await createList(person, "Empty");
    const response = await remove(list);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectError(await send(person, "GET", listPath(person, list.id)), 404, "not_found");
    await expectError(await remove(list), 404, "not_found");
  });

  it("without ?tasks, a list that holds tasks is 409 conflict and nothing changes", async () => {
    const { list, tasks, bystander } = await listWithTasks("Kept");
    await expectError(await remove(list), 409, "conflict");
    expect(await readList(person, list.id)).toEqual(list);
    for (const task of [...tasks, bystander]) await expectUnchanged(person, task);
  });

  it("?tasks=move puts the tasks in the Inbox with a new version and updated_at, then deletes the list", async () => {
    const { list, tasks, bystander } = await listWithTasks("Moved");
    await sleep(5);
    expect((await remove(list, "?tasks=move")).status).toBe(204);
    await expectError(await send(person, "GET", listPath(person, list.id)), 404, "not_found");
    for (const task of tasks) {
      const now = await readTask(person, task.id);
      expect(now).toEqual({ ...task, list_id: null, version: task.version + 1, updated_at: now.updated_at });
      expect(Date.parse(now.updated_at)).toBeGreaterThan(Date.parse(task.updated_at));
      expect((await fetchTask(person, task.id)).headers.get("etag")).toBe(`"${task.version + 1}"`);
    }
    await expectUnchanged(person, bystander);
  });

  it("?tasks=delete deletes the tasks with the list", async () => {
    const { list, tasks, bystander } = await listWithTasks("Dropped");
    expect((await remove(list, "?tasks=delete")).status).toBe(204);
    await expectError(await send(person, "GET", listPath(person, list.id)), 404, "not_found");
    for (const task of tasks) await expectError(await fetchTask(person, task.id), 404, "not_found");
    await expectUnchanged(person, bystander);
  });

  it("any other tasks= value is 422 on tasks, and nothing changes", async () => {
    const { list, tasks } = await listWithTasks("Odd");
    for (const query of ["?tasks=keep", "?tasks=", "?tasks=MOVE"]) {
      await expectValidationError(await remove(list, query), "tasks");
    }
    expect(await readList(person, list.id)).toEqual(list);
    for (const task of tasks) await expectUnchanged(person, task);
  });

  it("If-Match: a stale ETag is 412 and rolls back the tasks' move; the current one deletes", async () => {
    const { list, tasks } = await listWithTasks("Guarded");
    await expectError(await remove(list, "?tasks=move", { "If-Match": '"9"' }), 412, "precondition_failed");
    await expectError(await remove(list, "?tasks=delete", { "If-Match": '"9"' }), 412, "precondition_failed");
    expect(await readList(person, list.id)).toEqual(list);
    for (const task of tasks) await expectUnchanged(person, task);
    expect((await remove(list, "?tasks=delete", { "If-Match": '"1"' })).status).toBe(204);
    for (const task of tasks) await expectError(await fetchTask(person, task.id), 404, "not_found");
  });
});

describe("a person has at most 1000 lists", () => {
  it("the 1000th is created, the 1001st is 409 conflict", async () => {
    person = await signUp("Hoarder");
    const positions = generateNKeysBetween(null, null, 999);
    await db().taskList.createMany({
      data: positions.map((position, index) => ({
        userId: person.id,
        name: `List ${index}`,
        nameKey: `list ${index}`,
        position,
      })),
    });
    const thousandth = await createList(person, "One more");
    expect(thousandth.position > (positions.at(-1) ?? "")).toBe(true);
    await expectError(await send(person, "POST", listsPath(person), { name: "Too many" }), 409, "conflict");
    expect(await listsOf(person)).toHaveLength(1000);
  });
});
