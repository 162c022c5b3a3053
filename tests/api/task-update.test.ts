import { beforeAll, describe, expect, it } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import {
  expectTaskJson,
  expectUnchanged,
  expectValidationError,
  readTask,
  sleep,
  unknownTaskId,
} from "../support/requests.ts";
import { createTask, expectError, taskPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

let person: TestUser;

beforeAll(async () => {
  person = await signUp("Updater");
});

const put = (id: string, json: unknown) => call("PUT", taskPath(person, id), { token: person.token, json });
const patch = (id: string, json: unknown) => call("PATCH", taskPath(person, id), { token: person.token, json });

/** A fresh task with every field set, created a few ms ago so a later change gets a later updated_at. */
async function existingTask(): Promise<TaskJson> {
  const task = await createTask(person, { title: "Original title", description: "Original description" });
  await sleep(5);
  return task;
}

/** The response is 200 with the changed task, and reading it back gives the same task. */
async function expectSaved(response: Response, before: TaskJson, expected: Partial<TaskJson>): Promise<TaskJson> {
  expect(response.status, await response.clone().text()).toBe(200);
  const task = await response.json();
  expectTaskJson(task, person);
  expect(task).toEqual({ ...before, ...expected, updated_at: task.updated_at, version: before.version + 1 });
  expect(await readTask(person, before.id)).toEqual(task);
  return task;
}

describe("a person replaces a task with PUT", () => {
  it("a person replaces title, description and completion in one go", async () => {
    const before = await existingTask();
    const replacement = { title: "New title", description: "New description", completed: true };
    const after = await expectSaved(await put(before.id, replacement), before, replacement);
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
  });

  it("a person clears the description by replacing it with null", async () => {
    const before = await existingTask();
    await expectSaved(await put(before.id, { title: "Kept", description: null, completed: false }), before, {
      title: "Kept",
      description: null,
      completed: false,
    });
  });

  it("the replaced title is saved without surrounding whitespace", async () => {
    const before = await existingTask();
    await expectSaved(await put(before.id, { title: "  Trimmed  ", description: null, completed: true }), before, {
      title: "Trimmed",
      description: null,
      completed: true,
    });
  });

  it.each([
    ["title", { description: "d", completed: true }],
    ["description", { title: "t", completed: true }],
    ["completed", { title: "t", description: "d" }],
  ])("a replacement without %s is refused (422) and the task is unchanged", async (field, replacement) => {
    const before = await existingTask();
    const body = await expectValidationError(await put(before.id, replacement), field);
    expect(body.fields?.find((problem) => problem.field === field)?.message).toMatch(/required/i);
    await expectUnchanged(person, before);
  });

  it("replacing a task that does not exist is 404 not_found", async () => {
    const response = await put(unknownTaskId(), { title: "Ghost", description: null, completed: false });
    await expectError(response, 404, "not_found");
  });
});

describe("a person changes part of a task with PATCH", () => {
  it("a person marks a task completed and nothing else changes", async () => {
    const before = await existingTask();
    await expectSaved(await patch(before.id, { completed: true }), before, { completed: true });
  });

  it.each<[string, Partial<TaskJson>]>([
    ["only the title", { title: "Renamed" }],
    ["only the description", { description: "Rewritten" }],
    ["only the description, to null", { description: null }],
    ["title and description", { title: "Renamed", description: "Rewritten" }],
    ["title and completion", { title: "Renamed", completed: true }],
    ["description and completion", { description: "Rewritten", completed: true }],
  ])("a person changes %s and the other fields stay as they were", async (_subset, changes) => {
    const before = await existingTask();
    await expectSaved(await patch(before.id, changes), before, changes);
  });

  it("a person changes all three fields at once", async () => {
    const before = await existingTask();
    const changes = { title: "All new", description: "All new too", completed: true };
    await expectSaved(await patch(before.id, changes), before, changes);
  });

  it("a person can un-complete a task", async () => {
    const before = await existingTask();
    const done = await expectSaved(await patch(before.id, { completed: true }), before, { completed: true });
    await sleep(5);
    await expectSaved(await patch(before.id, { completed: false }), done, { completed: false });
  });

  it("the patched title is saved without surrounding whitespace", async () => {
    const before = await existingTask();
    await expectSaved(await patch(before.id, { title: "\n Trimmed \t" }), before, { title: "Trimmed" });
  });

  it("an empty PATCH {} is refused (422) naming the rule it breaks, and the task is unchanged", async () => {
    const before = await existingTask();
    const body = await expectValidationError(await patch(before.id, {}), "(body)");
    expect(body.fields).toEqual([
      {
        field: "(body)",
        message: "send at least one of title, description, completed, list_id, due_date, due_time, priority, tags",
      },
    ]);
    await expectUnchanged(person, before);
  });

  it("patching a task that does not exist is 404 not_found", async () => {
    await expectError(await patch(unknownTaskId(), { completed: true }), 404, "not_found");
  });

  it("patching by an id that is not a UUID is 404 not_found", async () => {
    await expectError(await patch("not-a-uuid", { completed: true }), 404, "not_found");
  });
});

describe("timestamps follow the changes", () => {
  it("updated_at moves forward on every change and created_at never changes", async () => {
    const original = await existingTask();
    const steps = [
      () => put(original.id, { title: "Step 1", description: "one", completed: false }),
      () => patch(original.id, { completed: true }),
      () => patch(original.id, { title: "Step 3" }),
      () => patch(original.id, { description: null }),
      () => put(original.id, { title: "Step 5", description: null, completed: false }),
    ];
    let previous = original;
    for (const step of steps) {
      await sleep(5);
      const response = await step();
      expect(response.status).toBe(200);
      const task = (await response.json()) as TaskJson;
      expect(task.created_at).toBe(original.created_at);
      expect(Date.parse(task.updated_at)).toBeGreaterThan(Date.parse(previous.updated_at));
      expect(await readTask(person, original.id)).toEqual(task);
      previous = task;
    }
  });
});

describe("a person sends an invalid change", () => {
  it.each<[string, "PUT" | "PATCH", Record<string, unknown>, string]>([
    ["an empty title", "PATCH", { title: "" }, "title"],
    ["a whitespace-only title", "PATCH", { title: "   " }, "title"],
    ["a 501-character title", "PATCH", { title: "t".repeat(501) }, "title"],
    ["a 5001-character description", "PATCH", { description: "d".repeat(5001) }, "description"],
    ["completion as a string", "PATCH", { completed: "yes" }, "completed"],
    ["an empty title", "PUT", { title: "", description: null, completed: true }, "title"],
    ["a 501-character title", "PUT", { title: "t".repeat(501), description: null, completed: true }, "title"],
    ["completion as a number", "PUT", { title: "t", description: null, completed: 1 }, "completed"],
  ])("%s in a %s is refused (422) and the task is unchanged", async (_what, method, json, field) => {
    const before = await existingTask();
    const send = method === "PUT" ? put : patch;
    await expectValidationError(await send(before.id, json), field);
    await expectUnchanged(person, before);
  });

  it("one invalid field spoils the whole PATCH: the valid fields are not applied either", async () => {
    const before = await existingTask();
    await expectValidationError(await patch(before.id, { title: "Would be fine", completed: "true" }), "completed");
    await expectUnchanged(person, before);
  });
});
