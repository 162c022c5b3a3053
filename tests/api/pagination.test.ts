import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { toTaskJson } from "@/lib/tasks/repository";
import type { TaskJson } from "@/lib/tasks/schema";
import { BASE_URL, call } from "../support/app.ts";
import { expectValidationError } from "../support/requests.ts";
import { createTask, expectError, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

type Page = { tasks: TaskJson[]; next: string | undefined; response: Response };

/** GETs the list with these query parameters (or an absolute URL from a Link header). */
function list(user: TestUser, query: string | Record<string, string> = {}): Promise<Response> {
  const path = typeof query === "string" ? query : `${tasksPath(user)}?${new URLSearchParams(query)}`;
  return call("GET", path, { token: user.token });
}

/** The `rel="next"` target of a Link header, if any. */
function nextLink(response: Response): string | undefined {
  const link = response.headers.get("link");
  if (link === null) return undefined;
  const match = link.match(/^<([^>]+)>;\s*rel="next"$/);
  expect(match, `unexpected Link header: ${link}`).not.toBeNull();
  return match?.[1];
}

async function page(user: TestUser, query: string | Record<string, string> = {}): Promise<Page> {
  const response = await list(user, query);
  expect(response.status, await response.clone().text()).toBe(200);
  const next = nextLink(response);
  return { tasks: (await response.json()) as TaskJson[], next, response };
}

/** Follows the Link headers from the first page to the last; returns each page's tasks. */
async function walk(user: TestUser, query: Record<string, string>): Promise<TaskJson[][]> {
  const pages: TaskJson[][] = [];
  let current = await page(user, query);
  pages.push(current.tasks);
  while (current.next) {
    expect(pages.length).toBeLessThan(1000);
    current = await page(user, current.next);
    pages.push(current.tasks);
  }
  return pages;
}

const ids = (tasks: { id: string }[]) => tasks.map((task) => task.id);
const cursorOf = (link: string | undefined) => new URL(link ?? "", BASE_URL).searchParams.get("cursor") ?? "";

type Seed = { title: string; createdAt: Date; updatedAt: Date; completed?: boolean };

/** Inserts tasks directly, with exactly these timestamps, and returns them as the API shows them. */
async function seed(user: TestUser, rows: Seed[]): Promise<TaskJson[]> {
  const created = await db().task.createManyAndReturn({
    data: rows.map((row, index) => ({ ...row, userId: user.id, position: `d${String(index).padStart(4, "0")}` })),
  });
  return created.map((task) => toTaskJson({ ...task, tags: [] }));
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 7, 10, minute));

/** 120 tasks, one a minute, so the newest-first order is known. */
let many: TestUser;
let manyTasks: TaskJson[];

beforeAll(async () => {
  many = await signUp("Many");
  const rows = Array.from({ length: 120 }, (_, i) => ({ title: `task ${i}`, createdAt: at(i), updatedAt: at(i) }));
  manyTasks = await seed(many, rows);
});

const newestFirst = () => [...manyTasks].sort((a, b) => b.created_at.localeCompare(a.created_at));

describe("page size", () => {
  it("without limit a page holds 50 tasks", async () => {
    const first = await page(many);
    expect(ids(first.tasks)).toEqual(ids(newestFirst().slice(0, 50)));
  });

  it("limit=1 gives one task", async () => {
    expect((await page(many, { limit: "1" })).tasks).toHaveLength(1);
  });

  it("limit=100 gives one hundred tasks", async () => {
    expect(ids((await page(many, { limit: "100" })).tasks)).toEqual(ids(newestFirst().slice(0, 100)));
  });

  it.each(["0", "101", "-1", "abc", "1.5", "1e2", ""])("limit=%j is refused with 422 naming limit", async (limit) => {
    const body = await expectValidationError(await list(many, { limit }), "limit");
    expect(body.fields?.find((problem) => problem.field === "limit")?.message).toMatch(/1 to 100/);
  });
});

describe("the Link header", () => {
  it("announces the next page as an absolute URL with rel=next, keeping the other parameters", async () => {
    const first = await page(many, { limit: "10", sort: "title" });
    expect(first.response.headers.get("link")).toMatch(/^<http:\/\/localhost:3000\/api\/[^>]+>; rel="next"$/);
    const next = new URL(first.next ?? "");
    expect(next.pathname).toBe(tasksPath(many));
    expect(next.searchParams.get("limit")).toBe("10");
    expect(next.searchParams.get("sort")).toBe("title");
    expect(next.searchParams.get("cursor")).toBeTruthy();
  });

  it("is absent on the last page", async () => {
    const first = await page(many, { limit: "100" });
    expect(first.next).toBeDefined();
    const last = await page(many, first.next);
    expect(last.tasks).toHaveLength(20);
    expect(last.response.headers.has("link")).toBe(false);
  });

  it("is absent when everything fits on one page", async () => {
    const few = await signUp("Few");
    await createTask(few, { title: "Only" });
    const only = await page(few);
    expect(only.tasks).toHaveLength(1);
    expect(only.response.headers.has("link")).toBe(false);
  });

  it("is absent when the last page is exactly full", async () => {
    const first = await page(many, { limit: "60" });
    const second = await page(many, first.next);
    expect(second.tasks).toHaveLength(60);
    expect(second.next).toBeUndefined();
  });

  it("following it walks every task exactly once, in order", async () => {
    const pages = await walk(many, { limit: "7" });
    expect(pages).toHaveLength(Math.ceil(120 / 7));
    expect(ids(pages.flat())).toEqual(ids(newestFirst()));
  });

  it("the body of every page is a plain JSON array", async () => {
    const first = await page(many, { limit: "3" });
    expect(Array.isArray(first.tasks)).toBe(true);
    expect(Array.isArray((await page(many, first.next)).tasks)).toBe(true);
  });
});

describe("pages stay consistent while tasks change", () => {
  async function twelveTasks(name: string) {
    const user = await signUp(name);
    const rows = Array.from({ length: 12 }, (_, i) => ({ title: `t${i}`, createdAt: at(i), updatedAt: at(i) }));
    return { user, tasks: await seed(user, rows) };
  }

  it("tasks created between pages neither repeat nor push older ones out (newest first)", async () => {
    const { user, tasks } = await twelveTasks("Creator");
    const expected = ids([...tasks].reverse());
    const first = await page(user, { limit: "5" });
    for (let i = 0; i < 3; i++) await createTask(user, { title: `new ${i}` });
    const rest = (await walk(user, { limit: "5" })).flat();
    expect(rest).toHaveLength(15);
    let current = first;
    const seen = [...ids(first.tasks)];
    while (current.next) {
      current = await page(user, current.next);
      seen.push(...ids(current.tasks));
    }
    expect(seen).toEqual(expected);
  });

  it("tasks created between pages are reached exactly once (oldest first)", async () => {
    const { user, tasks } = await twelveTasks("Appender");
    const first = await page(user, { limit: "5", sort: "created_at" });
    const added = [await createTask(user, { title: "later 1" }), await createTask(user, { title: "later 2" })];
    const seen = [...ids(first.tasks)];
    let current = first;
    while (current.next) {
      current = await page(user, current.next);
      seen.push(...ids(current.tasks));
    }
    expect(seen).toEqual([...ids(tasks), ...ids(added)]);
  });

  it("deleting tasks between pages skips no remaining task, even the one the cursor points at", async () => {
    const { user, tasks } = await twelveTasks("Deleter");
    const expected = [...tasks].reverse();
    const first = await page(user, { limit: "5" });
    const lastSeen = first.tasks.at(-1)?.id ?? "";
    const notYetSeen = expected[7]?.id ?? "";
    for (const id of [lastSeen, notYetSeen, expected[0]?.id ?? ""]) {
      expect((await call("DELETE", `${tasksPath(user)}/${id}`, { token: user.token })).status).toBe(204);
    }
    const seen = [...ids(first.tasks)];
    let current = first;
    while (current.next) {
      current = await page(user, current.next);
      seen.push(...ids(current.tasks));
    }
    expect(seen).toEqual(ids(expected).filter((id) => id !== notYetSeen));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe("every sort order, ties broken by id in the same direction", () => {
  let sorter: TestUser;
  let tasks: TaskJson[];

  beforeAll(async () => {
    sorter = await signUp("Sorter");
    // Three groups sharing a title, a creation time or an update time, so pages of 2 split ties.
    const rows: Seed[] = [];
    for (let i = 0; i < 9; i++) {
      rows.push({
        title: ["apple", "banana", "cherry"][i % 3] ?? "",
        createdAt: at(i % 3),
        updatedAt: at(10 - (i % 4)),
      });
    }
    tasks = await seed(sorter, rows);
  });

  const key: Record<string, (task: TaskJson) => string> = {
    created_at: (task) => task.created_at,
    updated_at: (task) => task.updated_at,
    title: (task) => task.title,
  };

  function expectedOrder(sort: string): string[] {
    const descending = sort.startsWith("-");
    const field = key[sort.replace(/^-/, "")] ?? key.created_at;
    const sorted = [...tasks].sort((a, b) => {
      const [x, y] = [field?.(a) ?? "", field?.(b) ?? ""];
      return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    return ids(descending ? sorted.reverse() : sorted);
  }

  it.each(["created_at", "-created_at", "updated_at", "-updated_at", "title", "-title"])(
    "sort=%s walks the tasks in that order, two at a time",
    async (sort) => {
      const pages = await walk(sorter, { sort, limit: "2" });
      expect(pages).toHaveLength(5);
      expect(ids(pages.flat())).toEqual(expectedOrder(sort));
    },
  );

  it("without sort the order is -created_at", async () => {
    expect(ids((await page(sorter)).tasks)).toEqual(expectedOrder("-created_at"));
  });
});

describe("a cursor the server did not issue for this request", () => {
  let first: Page;

  beforeAll(async () => {
    first = await page(many, { limit: "5", sort: "title" });
  });

  const withCursor = (cursor: string, query: Record<string, string> = { limit: "5", sort: "title" }) =>
    list(many, { ...query, cursor });

  it("the untouched cursor works (control)", async () => {
    expect((await withCursor(cursorOf(first.next))).status).toBe(200);
  });

  it("a cursor with a changed character is 400 invalid_cursor", async () => {
    const cursor = cursorOf(first.next);
    const index = 3;
    const altered = `${cursor.slice(0, index)}${cursor[index] === "A" ? "B" : "A"}${cursor.slice(index + 1)}`;
    await expectError(await withCursor(altered), 400, "invalid_cursor");
  });

  it("a cursor whose position was rewritten (signature kept) is 400 invalid_cursor", async () => {
    const [, signature] = cursorOf(first.next).split(".");
    const forged = Buffer.from(JSON.stringify({ after: "a", id: manyTasks[0]?.id })).toString("base64url");
    await expectError(await withCursor(`${forged}.${signature}`), 400, "invalid_cursor");
  });

  it("a cursor with junk appended to its signature is 400 invalid_cursor", async () => {
    await expectError(await withCursor(`${cursorOf(first.next)}!`), 400, "invalid_cursor");
  });

  it.each(["garbage", "", ".", "a.b.c", "x".repeat(5000)])("the cursor %j is 400 invalid_cursor", async (cursor) => {
    await expectError(await withCursor(cursor), 400, "invalid_cursor");
  });

  it("another user's cursor is 400 invalid_cursor", async () => {
    const other = await signUp("Other");
    await createTask(other, { title: "Mine" });
    const response = await list(other, { limit: "5", sort: "title", cursor: cursorOf(first.next) });
    await expectError(response, 400, "invalid_cursor");
  });

  it("reusing a cursor with a different sort is 400 invalid_cursor", async () => {
    await expectError(await withCursor(cursorOf(first.next), { limit: "5", sort: "-title" }), 400, "invalid_cursor");
  });

  it("reusing a cursor with a filter added is 400 invalid_cursor", async () => {
    const cursor = cursorOf(first.next);
    await expectError(
      await withCursor(cursor, { limit: "5", sort: "title", completed: "false" }),
      400,
      "invalid_cursor",
    );
    await expectError(await withCursor(cursor, { limit: "5", sort: "title", q: "task" }), 400, "invalid_cursor");
  });

  it("reusing a cursor with a different limit is allowed", async () => {
    const response = await withCursor(cursorOf(first.next), { limit: "8", sort: "title" });
    expect(response.status).toBe(200);
    expect((await response.json()) as unknown[]).toHaveLength(8);
  });
});
