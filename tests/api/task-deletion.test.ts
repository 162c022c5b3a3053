import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/app.ts";
import { fetchTask, readTask, unknownTaskId } from "../support/requests.ts";
import { createTask, expectError, listTasks, taskPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

let person: TestUser;

beforeAll(async () => {
  person = await signUp("Deleter");
});

const remove = (id: string) => call("DELETE", taskPath(person, id), { token: person.token });

describe("a person deletes a task", () => {
  it("a person deletes a task: 204 with an empty body", async () => {
    const task = await createTask(person, { title: "Throw away" });
    const response = await remove(task.id);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("a deleted task can no longer be opened (404) and is gone from the list", async () => {
    const task = await createTask(person, { title: "Gone soon", description: "bye" });
    expect((await listTasks(person)).map((listed) => listed.id)).toContain(task.id);
    expect((await remove(task.id)).status).toBe(204);
    await expectError(await fetchTask(person, task.id), 404, "not_found");
    expect((await listTasks(person)).map((listed) => listed.id)).not.toContain(task.id);
  });

  it("a deleted task can no longer be changed", async () => {
    const task = await createTask(person, { title: "Gone" });
    expect((await remove(task.id)).status).toBe(204);
    const patched = await call("PATCH", taskPath(person, task.id), { token: person.token, json: { completed: true } });
    await expectError(patched, 404, "not_found");
    await expectError(await fetchTask(person, task.id), 404, "not_found");
  });

  it("deleting one task leaves the person's other tasks alone", async () => {
    const keep = await createTask(person, { title: "Keep me" });
    const drop = await createTask(person, { title: "Drop me" });
    const before = await listTasks(person);
    expect((await remove(drop.id)).status).toBe(204);
    expect(await listTasks(person)).toEqual(before.filter((task) => task.id !== drop.id));
    expect(await readTask(person, keep.id)).toEqual(keep);
  });
});

describe("a person deletes something that is not there", () => {
  it("deleting the same task a second time is 404 not_found", async () => {
    const task = await createTask(person, { title: "Twice" });
    expect((await remove(task.id)).status).toBe(204);
    await expectError(await remove(task.id), 404, "not_found");
  });

  it("deleting a task that never existed is 404 not_found and deletes nothing", async () => {
    await createTask(person, { title: "Bystander" });
    const before = await listTasks(person);
    await expectError(await remove(unknownTaskId()), 404, "not_found");
    expect(await listTasks(person)).toEqual(before);
  });

  it("deleting by an id that is not a UUID is 404 not_found", async () => {
    await expectError(await remove("not-a-uuid"), 404, "not_found");
  });
});
