import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { TagJson } from "@/lib/tags/schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { tagNamed, tagPath, tagsOf } from "../support/organise.ts";
import { expectUnchanged, expectValidationError, readTask, sleep } from "../support/requests.ts";
import { createTask, expectError, taskPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

let person: TestUser;

function send(method: string, path: string, json?: unknown) {
  return call(method, path, { token: person.token, json });
}

/** After a change to one of its tags: the same task, its tags as given, version + 1 and a later updated_at. */
async function expectRetagged(before: TaskJson, tags: string[]) {
  const now = await readTask(person, before.id);
  expect(now).toEqual({ ...before, tags, version: before.version + 1, updated_at: now.updated_at });
  expect(Date.parse(now.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
}

describe("a person's tags, with how many tasks carry each", () => {
  beforeAll(async () => {
    person = await signUp("Tagger");
    await createTask(person, { title: "Pie", tags: ["apple", "Cherry"] });
    await createTask(person, { title: "Crumble", tags: ["APPLE", "banana"] });
    const done = await createTask(person, { title: "Smoothie", tags: ["Banana", "apple"] });
    await send("PATCH", taskPath(person, done.id), { completed: true });
    const gone = await createTask(person, { title: "Forgotten", tags: ["durian"] });
    await send("DELETE", taskPath(person, gone.id));
  });

  it("GET lists {id, name, task_count} by name ignoring case, each in its first spelling", async () => {
    const tags = await tagsOf(person);
    expect(tags.map(({ name, task_count }) => [name, task_count])).toEqual([
      ["apple", 3],
      ["banana", 2],
      ["Cherry", 1],
      ["durian", 0],
    ]);
    for (const tag of tags) expect(Object.keys(tag).sort()).toEqual(["id", "name", "task_count"]);
  });

  it("GET one tag returns it; an unknown id and one that is no UUID are the same 404", async () => {
    const apple = await tagNamed(person, "apple");
    const response = await send("GET", tagPath(person, apple.id));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(apple);
    const unknown = await expectError(await send("GET", tagPath(person, randomUUID())), 404, "not_found");
    expect(await expectError(await send("GET", tagPath(person, "apple")), 404, "not_found")).toEqual(unknown);
  });

  it("a person without tags has an empty list", async () => {
    const newcomer = await signUp("Untagged");
    const response = await call("GET", `/api/${newcomer.id}/tags`, { token: newcomer.token });
    expect(await response.json()).toEqual([]);
  });
});

describe("renaming a tag", () => {
  let chores: TaskJson;
  let laundry: TaskJson;
  let untagged: TaskJson;

  beforeAll(async () => {
    person = await signUp("Renamer");
    chores = await createTask(person, { title: "Dishes", tags: ["chores", "kitchen"] });
    laundry = await createTask(person, { title: "Laundry", tags: ["Chores"] });
    untagged = await createTask(person, { title: "Read", tags: ["leisure"] });
  });

  it("every task that carries it shows the new name, with version + 1; the others are unchanged", async () => {
    const tag = await tagNamed(person, "chores");
    await sleep(5);
    const response = await send("PATCH", tagPath(person, tag.id), { name: "  Housework " });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: tag.id, name: "Housework", task_count: 2 });
    await expectRetagged(chores, ["Housework", "kitchen"]);
    await expectRetagged(laundry, ["Housework"]);
    await expectUnchanged(person, untagged);
    chores = await readTask(person, chores.id);
    laundry = await readTask(person, laundry.id);
  });

  it("the new name, in any case, is that tag for new tasks (the name key moved with it)", async () => {
    const vacuum = await createTask(person, { title: "Vacuum", tags: ["HOUSEWORK"] });
    expect(vacuum.tags).toEqual(["Housework"]);
    expect((await tagNamed(person, "Housework")).task_count).toBe(3);
    const oldName = await createTask(person, { title: "Mop", tags: ["chores"] });
    expect(oldName.tags).toEqual(["chores"]);
    expect((await tagsOf(person)).map((tag) => tag.name)).toEqual(["chores", "Housework", "kitchen", "leisure"]);
  });

  it("to its own name in another case is allowed", async () => {
    const tag = await tagNamed(person, "kitchen");
    const response = await send("PATCH", tagPath(person, tag.id), { name: "Kitchen" });
    expect(response.status).toBe(200);
    await expectRetagged(chores, ["Housework", "Kitchen"]);
  });

  it("to another tag's name, in any case, is 409 conflict, and no tag or task changes", async () => {
    const before = await tagsOf(person);
    const leisure = await tagNamed(person, "leisure");
    for (const name of ["Housework", "housework", "KITCHEN"]) {
      await expectError(await send("PATCH", tagPath(person, leisure.id), { name }), 409, "conflict");
    }
    expect(await tagsOf(person)).toEqual(before);
    await expectUnchanged(person, untagged);
  });

  it("refuses an empty or too long name, an empty body and unknown fields with 422; 404 for an unknown tag", async () => {
    const leisure = await tagNamed(person, "leisure");
    const path = tagPath(person, leisure.id);
    for (const name of ["", "  ", "x".repeat(51), null]) {
      await expectValidationError(await send("PATCH", path, { name }), "name");
    }
    await expectValidationError(await send("PATCH", path, {}), "name");
    await expectValidationError(await send("PATCH", path, { name: "Fun", task_count: 0 }), "task_count");
    await expectError(await send("PATCH", tagPath(person, randomUUID()), { name: "Ghost" }), 404, "not_found");
    await expectError(await send("PATCH", tagPath(person, "leisure"), { name: "Ghost" }), 404, "not_found");
    await expectUnchanged(person, untagged);
    expect(await tagNamed(person, "leisure")).toEqual(leisure);
  });
});

describe("deleting a tag", () => {
  it("takes it off every task (version + 1), leaves the other tasks alone, and is then 404", async () => {
    person = await signUp("Untagger");
    const both = await createTask(person, { title: "Both", tags: ["urgent", "work"] });
    const only = await createTask(person, { title: "Only", tags: ["URGENT"] });
    const other = await createTask(person, { title: "Other", tags: ["work"] });
    const urgent: TagJson = await tagNamed(person, "urgent");
    await sleep(5);

    const response = await send("DELETE", tagPath(person, urgent.id));
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectRetagged(both, ["work"]);
    await expectRetagged(only, []);
    await expectUnchanged(person, other);
    expect((await tagsOf(person)).map(({ name, task_count }) => [name, task_count])).toEqual([["work", 2]]);
    await expectError(await send("GET", tagPath(person, urgent.id)), 404, "not_found");
    await expectError(await send("DELETE", tagPath(person, urgent.id)), 404, "not_found");
    await expectError(await send("DELETE", tagPath(person, "urgent")), 404, "not_found");
  });
});
