import { beforeAll, describe, expect, it } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import {
  expectTaskJson,
  fetchTask,
  ISO_UTC_PATTERN,
  sleep,
  TASK_FIELDS,
  UUID_PATTERN,
  unknownTaskId,
} from "../support/requests.ts";
import { createTask, expectError, listTasks, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

let person: TestUser;
let newcomer: TestUser;

beforeAll(async () => {
  [person, newcomer] = await Promise.all([signUp("Reader"), signUp("Newcomer")]);
});

/** Newest first: created_at descending, then id descending for tasks created in the same millisecond. */
function isNewestFirst(tasks: TaskJson[]): boolean {
  return tasks.every((task, index) => {
    const next = tasks[index + 1];
    if (!next) return true;
    if (task.created_at !== next.created_at) return task.created_at > next.created_at;
    return task.id > next.id;
  });
}

describe("what a task looks like", () => {
  it("every response shows a task with exactly id, title, description, completed, created_at, updated_at, user_id", async () => {
    const created = await call("POST", tasksPath(person), { token: person.token, json: { title: "Shape check" } });
    expect(created.status).toBe(201);
    const task = await created.json();
    expectTaskJson(task, person);

    const fetched = await fetchTask(person, task.id);
    expect(fetched.status).toBe(200);
    expect(Object.keys(await fetched.json()).sort()).toEqual(TASK_FIELDS);

    const listed = (await listTasks(person)).find((candidate) => candidate.id === task.id);
    expect(Object.keys(listed ?? {}).sort()).toEqual(TASK_FIELDS);

    const patched = await call("PATCH", taskPath(person, task.id), { token: person.token, json: { completed: true } });
    expect(patched.status).toBe(200);
    expect(Object.keys(await patched.json()).sort()).toEqual(TASK_FIELDS);

    const replaced = await call("PUT", taskPath(person, task.id), {
      token: person.token,
      json: { title: "Shape check", description: null, completed: false },
    });
    expect(replaced.status).toBe(200);
    expect(Object.keys(await replaced.json()).sort()).toEqual(TASK_FIELDS);
  });

  it("a task's id is a UUID and its timestamps are ISO 8601 in UTC", async () => {
    const before = Date.now();
    const task = await createTask(person, { title: "Formats" });
    const after = Date.now();
    expect(task.id).toMatch(UUID_PATTERN);
    expect(task.created_at).toMatch(ISO_UTC_PATTERN);
    expect(task.updated_at).toMatch(ISO_UTC_PATTERN);
    expect(task.created_at.endsWith("Z")).toBe(true);
    // The instant is the real one (no local-time offset mistaken for UTC), give or take clock granularity.
    expect(Date.parse(task.created_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(task.created_at)).toBeLessThanOrEqual(after + 1000);
    expect(task.user_id).toBe(person.id);
  });
});

describe("a person looks at their tasks", () => {
  it("a person with no tasks sees an empty list", async () => {
    const response = await call("GET", tasksPath(newcomer), { token: newcomer.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual([]);
  });

  it("a person sees their own tasks, newest first", async () => {
    const first = await createTask(person, { title: "First" });
    await sleep(5);
    const second = await createTask(person, { title: "Second" });
    await sleep(5);
    const third = await createTask(person, { title: "Third", description: "the newest" });

    const response = await call("GET", tasksPath(person), { token: person.token });
    expect(response.status).toBe(200);
    const tasks = (await response.json()) as TaskJson[];
    for (const task of tasks) expectTaskJson(task, person);
    expect(tasks.slice(0, 3)).toEqual([third, second, first]);
    expect(isNewestFirst(tasks)).toBe(true);
  });

  it("tasks created in the same millisecond are listed by id, highest first", async () => {
    // Create batches concurrently until some share a created_at, so the tie-break is actually exercised.
    let tasks: TaskJson[] = [];
    let ties = 0;
    for (let attempt = 0; attempt < 5 && ties === 0; attempt++) {
      await Promise.all(Array.from({ length: 8 }, (_, index) => createTask(person, { title: `Batch ${index}` })));
      tasks = await listTasks(person);
      ties = tasks.filter((task, index) => tasks[index + 1]?.created_at === task.created_at).length;
    }
    expect(ties, "no two tasks shared a created_at, so the tie-break was not exercised").toBeGreaterThan(0);
    expect(isNewestFirst(tasks)).toBe(true);
  });

  it("a person opens one of their tasks", async () => {
    const task = await createTask(person, { title: "Open me", description: "details" });
    const response = await fetchTask(person, task.id);
    expect(response.status).toBe(200);
    const fetched = await response.json();
    expectTaskJson(fetched, person);
    expect(fetched).toEqual(task);
  });

  it("opening a task that does not exist is 404 not_found", async () => {
    await expectError(await fetchTask(person, unknownTaskId()), 404, "not_found");
  });

  it.each([
    ["a word", "not-a-uuid"],
    ["a number", "123"],
    ["a UUID with extra characters", `${unknownTaskId()}0`],
    ["a UUID without dashes", unknownTaskId().replaceAll("-", "")],
  ])("opening a task by an id that is %s is 404 not_found", async (_kind, id) => {
    await expectError(await fetchTask(person, id), 404, "not_found");
  });
});
