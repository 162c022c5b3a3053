import { beforeAll, describe, expect, it } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { expectValidationError, sleep } from "../support/requests.ts";
import { createTask, expectJson, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

function list(user: TestUser, query: Record<string, string>): Promise<Response> {
  return call("GET", `${tasksPath(user)}?${new URLSearchParams(query)}`, { token: user.token });
}

async function listed(user: TestUser, query: Record<string, string>): Promise<TaskJson[]> {
  const response = await list(user, query);
  return expectJson<TaskJson[]>(response, 200);
}

const titles = (tasks: TaskJson[]) => tasks.map((task) => task.title).sort();

describe("completed", () => {
  let person: TestUser;

  beforeAll(async () => {
    person = await signUp("Completer");
    await createTask(person, { title: "done one", completed: true });
    await createTask(person, { title: "open one" });
    await createTask(person, { title: "done two", completed: true });
  });

  it("completed=true lists only completed tasks", async () => {
    expect(titles(await listed(person, { completed: "true" }))).toEqual(["done one", "done two"]);
  });

  it("completed=false lists only open tasks", async () => {
    expect(titles(await listed(person, { completed: "false" }))).toEqual(["open one"]);
  });

  it("without completed both are listed", async () => {
    expect(await listed(person, {})).toHaveLength(3);
  });
});

describe("q searches title and description, ignoring case", () => {
  let person: TestUser;

  beforeAll(async () => {
    person = await signUp("Searcher");
    await createTask(person, { title: "Buy MILK", description: "at the corner shop" });
    await createTask(person, { title: "Call mum", description: "About the Milkman" });
    await createTask(person, { title: "Water plants", description: null });
    await createTask(person, { title: "100% done", description: "percent" });
    await createTask(person, { title: "1000 done", description: "digits" });
    await createTask(person, { title: "snake_case", description: "underscore" });
    await createTask(person, { title: "snakeXcase", description: "letter" });
    await createTask(person, { title: "C:\\path", description: "backslash" });
    await createTask(person, { title: "C:path", description: "no backslash" });
  });

  it("matches the title whatever its case", async () => {
    expect(titles(await listed(person, { q: "milk" }))).toEqual(["Buy MILK", "Call mum"]);
  });

  it("matches the description whatever its case", async () => {
    expect(titles(await listed(person, { q: "CORNER" }))).toEqual(["Buy MILK"]);
  });

  it("finds nothing when nothing matches", async () => {
    expect(await listed(person, { q: "nowhere" })).toEqual([]);
  });

  it("% is taken literally", async () => {
    expect(titles(await listed(person, { q: "100%" }))).toEqual(["100% done"]);
    expect(titles(await listed(person, { q: "%" }))).toEqual(["100% done"]);
  });

  it("_ is taken literally", async () => {
    expect(titles(await listed(person, { q: "snake_case" }))).toEqual(["snake_case"]);
  });

  it("a backslash is taken literally", async () => {
    expect(titles(await listed(person, { q: "C:\\p" }))).toEqual(["C:\\path"]);
    expect(titles(await listed(person, { q: "\\" }))).toEqual(["C:\\path"]);
  });

  it("an empty q filters nothing", async () => {
    expect(await listed(person, { q: "" })).toHaveLength(9);
  });

  it("combines with completed", async () => {
    const done = await createTask(person, { title: "Milk the cow", completed: true });
    expect((await listed(person, { q: "milk", completed: "true" })).map((task) => task.id)).toEqual([done.id]);
  });

  it("a q with a NUL character is refused with 422", async () => {
    await expectValidationError(await list(person, { q: "a\u0000b" }), "q");
  });
});

describe("updated_since", () => {
  it("lists tasks updated at or after the instant, including later edits of older tasks", async () => {
    const person = await signUp("Syncer");
    const old = await createTask(person, { title: "old" });
    const edited = await createTask(person, { title: "edited later" });
    await sleep(10);
    const since = new Date().toISOString();
    await sleep(10);
    const fresh = await createTask(person, { title: "fresh" });
    const patch = await call("PATCH", `${tasksPath(person)}/${edited.id}`, {
      token: person.token,
      json: { completed: true },
    });
    expect(patch.status).toBe(200);
    const ids = (await listed(person, { updated_since: since })).map((task) => task.id).sort();
    expect(ids).toEqual([edited.id, fresh.id].sort());
    expect(ids).not.toContain(old.id);
  });

  it("is inclusive: a task updated exactly at the instant is listed", async () => {
    const person = await signUp("Boundary");
    const task = await createTask(person, { title: "edge" });
    expect((await listed(person, { updated_since: task.updated_at })).map((t) => t.id)).toEqual([task.id]);
    const later = new Date(Date.parse(task.updated_at) + 1).toISOString();
    expect(await listed(person, { updated_since: later })).toEqual([]);
  });

  it("accepts a time zone offset", async () => {
    const person = await signUp("Offset");
    const task = await createTask(person, { title: "zoned" });
    // The task's own updated_at, written as the wall-clock time at +02:00.
    const twoHours = 2 * 60 * 60 * 1000;
    const at = (ms: number) => `${new Date(ms + twoHours).toISOString().slice(0, 23)}+02:00`;
    const updated = Date.parse(task.updated_at);
    expect((await listed(person, { updated_since: at(updated) })).map((t) => t.id)).toEqual([task.id]);
    expect(await listed(person, { updated_since: at(updated + 1) })).toEqual([]);
  });
});

describe("bad values are refused with 422 naming the allowed ones", () => {
  let person: TestUser;

  beforeAll(async () => {
    person = await signUp("Refused");
  });

  it.each(["yes", "1", "TRUE", ""])("completed=%j", async (completed) => {
    const body = await expectValidationError(await list(person, { completed }), "completed");
    expect(body.fields?.find((problem) => problem.field === "completed")?.message).toMatch(/true, false/);
  });

  it.each(["name", "created", "+title", ""])("sort=%j", async (sort) => {
    const body = await expectValidationError(await list(person, { sort }), "sort");
    const message = body.fields?.find((problem) => problem.field === "sort")?.message ?? "";
    for (const allowed of ["created_at", "-created_at", "updated_at", "-updated_at", "title", "-title"]) {
      expect(message).toContain(allowed);
    }
  });

  it.each([
    "yesterday",
    "2026-01-07",
    "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-01-07T10:00:00",
    "0000-01-01T00:00:00Z",
    // Valid text, but in year 0 (UTC) once the offset applies, or in year 10000: PostgreSQL cannot store those.
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
  ])("updated_since=%j", async (updated_since) => {
    const body = await expectValidationError(await list(person, { updated_since }), "updated_since");
    expect(body.fields?.find((problem) => problem.field === "updated_since")?.message).toMatch(/ISO 8601/);
  });

  it("the first and last instants PostgreSQL and JSON share are accepted", async () => {
    for (const updated_since of ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"]) {
      expect((await list(person, { updated_since })).status).toBe(200);
    }
  });

  it("names every bad parameter at once", async () => {
    const body = await expectValidationError(await list(person, { sort: "x", completed: "x", limit: "x" }));
    expect(body.fields?.map((problem) => problem.field).sort()).toEqual(["completed", "limit", "sort"]);
  });
});

describe("unknown parameters", () => {
  it("are ignored", async () => {
    const person = await signUp("Ignorer");
    await createTask(person, { title: "a" });
    await createTask(person, { title: "b" });
    const plain = await listed(person, {});
    expect(await listed(person, { page: "3", offset: "1", foo: "bar", Sort: "title" })).toEqual(plain);
  });
});
