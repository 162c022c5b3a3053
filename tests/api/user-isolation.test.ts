import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { createTask, expectError, listTasks, taskPath, tasksPath } from "../support/tasks.ts";
import { expectInvalidToken } from "../support/tokens.ts";
import { type TestUser, twoUsers } from "../support/users.ts";

const ids = (tasks: { id: string }[]) => tasks.map((task) => task.id);

/** A task as its owner reads it by id. */
async function readOwnTask(owner: TestUser, taskId: string): Promise<TaskJson> {
  const response = await call("GET", taskPath(owner, taskId), { token: owner.token });
  expect(response.status).toBe(200);
  return (await response.json()) as TaskJson;
}

describe("Alice and Bob each see only their own task list", () => {
  let alice: TestUser;
  let bob: TestUser;
  let alicesTasks: TaskJson[];
  let bobsTasks: TaskJson[];

  beforeAll(async () => {
    [alice, bob] = await twoUsers();
    alicesTasks = [
      await createTask(alice, { title: "Alice: water plants" }),
      await createTask(alice, { title: "Alice: call mum" }),
    ];
    bobsTasks = [
      await createTask(bob, { title: "Bob: fix bike", description: "rear brake" }),
      await createTask(bob, { title: "Bob: pay rent" }),
      await createTask(bob, { title: "Bob: book dentist" }),
    ];
  });

  it("Alice cannot list Bob's tasks (403 forbidden, no task in the body)", async () => {
    const response = await call("GET", tasksPath(bob), { token: alice.token });
    const body = await expectError(response, 403, "forbidden");
    expect(JSON.stringify(body)).not.toContain("Bob:");
  });

  it("Alice's list holds exactly her own tasks", async () => {
    const list = await listTasks(alice);
    expect(ids(list).sort()).toEqual(ids(alicesTasks).sort());
    for (const task of list) expect(task.user_id).toBe(alice.id);
  });

  it("Bob's list holds exactly his own tasks", async () => {
    const list = await listTasks(bob);
    expect(ids(list).sort()).toEqual(ids(bobsTasks).sort());
    for (const task of list) expect(task.user_id).toBe(bob.id);
  });

  it("a newcomer with no tasks sees an empty list, not anybody else's", async () => {
    const [carol] = await twoUsers();
    expect(await listTasks(carol)).toEqual([]);
  });
});

describe("Alice cannot touch Bob's task even through her own path (404 not_found)", () => {
  let alice: TestUser;
  let bob: TestUser;
  let bobsTask: TaskJson;

  beforeAll(async () => {
    [alice, bob] = await twoUsers();
    await createTask(alice, { title: "Alice's own task" });
    bobsTask = await createTask(bob, { title: "Bob's diary", description: "Private thoughts" });
  });

  it("Alice cannot read Bob's task by id", async () => {
    const response = await call("GET", taskPath(alice, bobsTask.id), { token: alice.token });
    const body = await expectError(response, 404, "not_found");
    expect(JSON.stringify(body)).not.toContain("diary");
  });

  it("Bob's task looks exactly like a task that does not exist (nothing reveals that it exists)", async () => {
    const forBobsTask = await call("GET", taskPath(alice, bobsTask.id), { token: alice.token });
    const forNoTask = await call("GET", taskPath(alice, randomUUID()), { token: alice.token });
    expect(forBobsTask.status).toBe(forNoTask.status);
    expect(await forBobsTask.json()).toEqual(await forNoTask.json());
  });

  it("Alice cannot replace Bob's task, and Bob still reads it unchanged", async () => {
    const json = { title: "Hacked by Alice", description: null, completed: true };
    await expectError(await call("PUT", taskPath(alice, bobsTask.id), { token: alice.token, json }), 404, "not_found");
    expect(await readOwnTask(bob, bobsTask.id)).toEqual(bobsTask);
  });

  it("Alice cannot patch Bob's task, and Bob still reads it unchanged", async () => {
    const json = { completed: true, title: "Done by Alice" };
    await expectError(
      await call("PATCH", taskPath(alice, bobsTask.id), { token: alice.token, json }),
      404,
      "not_found",
    );
    expect(await readOwnTask(bob, bobsTask.id)).toEqual(bobsTask);
  });

  it("Alice cannot delete Bob's task, and Bob still has it", async () => {
    await expectError(await call("DELETE", taskPath(alice, bobsTask.id), { token: alice.token }), 404, "not_found");
    expect(await readOwnTask(bob, bobsTask.id)).toEqual(bobsTask);
    expect(ids(await listTasks(bob))).toEqual([bobsTask.id]);
  });

  it("Alice's failed attempts did not move Bob's task into her list", async () => {
    const list = await listTasks(alice);
    expect(ids(list)).not.toContain(bobsTask.id);
    expect(list.map((task) => task.title)).toEqual(["Alice's own task"]);
  });
});

describe("Alice cannot create a task for Bob", () => {
  let alice: TestUser;
  let bob: TestUser;
  let bobsTask: TaskJson;

  beforeAll(async () => {
    [alice, bob] = await twoUsers();
    bobsTask = await createTask(bob, { title: "Bob's only task" });
  });

  it("posting to Bob's list with Alice's token is 403 forbidden and Bob's list is unchanged", async () => {
    const response = await call("POST", tasksPath(bob), { token: alice.token, json: { title: "Planted by Alice" } });
    await expectError(response, 403, "forbidden");
    expect(await listTasks(bob)).toEqual([bobsTask]);
  });

  it("the refused task does not land in Alice's list either", async () => {
    await call("POST", tasksPath(bob), { token: alice.token, json: { title: "Planted by Alice" } });
    expect(await listTasks(alice)).toEqual([]);
  });

  it("a `user_id` field in the body cannot assign Alice's new task to Bob (422, nothing created)", async () => {
    const json = { title: "Smuggled", user_id: bob.id };
    const body = await expectError(
      await call("POST", tasksPath(alice), { token: alice.token, json }),
      422,
      "validation_error",
    );
    expect(body.fields?.map((problem) => problem.field)).toContain("user_id");
    expect(await listTasks(alice)).toEqual([]);
    expect(await listTasks(bob)).toEqual([bobsTask]);
  });
});

describe("Alice and Bob work side by side", () => {
  it("a full interleaved workflow of creates, updates and deletes leaves each list exactly right", async () => {
    const [alice, bob] = await twoUsers();

    const groceries = await createTask(alice, { title: "Groceries", description: "milk, eggs" });
    const taxes = await createTask(bob, { title: "Taxes" });
    const gym = await createTask(alice, { title: "Gym" });
    const car = await createTask(bob, { title: "Wash car", description: "inside too" });
    const book = await createTask(alice, { title: "Read book" });

    // Alice finishes groceries; Bob renames his taxes task.
    let response = await call("PATCH", taskPath(alice, groceries.id), {
      token: alice.token,
      json: { completed: true },
    });
    expect(response.status).toBe(200);
    response = await call("PUT", taskPath(bob, taxes.id), {
      token: bob.token,
      json: { title: "Taxes 2025", description: "deadline in May", completed: false },
    });
    expect(response.status).toBe(200);

    // Each tries the other's task: nothing happens.
    response = await call("DELETE", taskPath(bob, gym.id), { token: bob.token });
    await expectError(response, 404, "not_found");
    response = await call("PATCH", taskPath(alice, car.id), { token: alice.token, json: { completed: true } });
    await expectError(response, 404, "not_found");

    // Alice drops the gym; Bob finishes washing the car and adds one more.
    response = await call("DELETE", taskPath(alice, gym.id), { token: alice.token });
    expect(response.status).toBe(204);
    response = await call("PATCH", taskPath(bob, car.id), { token: bob.token, json: { completed: true } });
    expect(response.status).toBe(200);
    const plumber = await createTask(bob, { title: "Call plumber" });

    // Bob cannot delete what Alice already deleted, nor Alice's remaining task.
    await expectError(await call("DELETE", taskPath(bob, gym.id), { token: bob.token }), 404, "not_found");
    await expectError(await call("DELETE", taskPath(bob, book.id), { token: bob.token }), 404, "not_found");

    const summary = (tasks: TaskJson[]) =>
      tasks
        .map((task) => ({
          id: task.id,
          title: task.title,
          description: task.description,
          completed: task.completed,
          user_id: task.user_id,
        }))
        .sort((a, b) => a.title.localeCompare(b.title));

    expect(summary(await listTasks(alice))).toEqual([
      { id: groceries.id, title: "Groceries", description: "milk, eggs", completed: true, user_id: alice.id },
      { id: book.id, title: "Read book", description: null, completed: false, user_id: alice.id },
    ]);
    expect(summary(await listTasks(bob))).toEqual([
      { id: plumber.id, title: "Call plumber", description: null, completed: false, user_id: bob.id },
      { id: taxes.id, title: "Taxes 2025", description: "deadline in May", completed: false, user_id: bob.id },
      { id: car.id, title: "Wash car", description: "inside too", completed: true, user_id: bob.id },
    ]);
  });
});

describe("When Alice's account is deleted", () => {
  let alice: TestUser;
  let bob: TestUser;
  let alicesTaskIds: string[];
  let bobsTasks: TaskJson[];

  beforeAll(async () => {
    [alice, bob] = await twoUsers();
    alicesTaskIds = ids([await createTask(alice, { title: "Alice 1" }), await createTask(alice, { title: "Alice 2" })]);
    bobsTasks = [
      await createTask(bob, { title: "Bob 1" }),
      await createTask(bob, { title: "Bob 2", description: "keep me" }),
    ];
    await db().user.delete({ where: { id: alice.id } });
  });

  it("her tasks are deleted with her", async () => {
    expect(await db().task.count({ where: { userId: alice.id } })).toBe(0);
    expect(await db().task.count({ where: { id: { in: alicesTaskIds } } })).toBe(0);
  });

  it("Bob's tasks are untouched", async () => {
    const list = await listTasks(bob);
    expect(list.sort((a, b) => a.title.localeCompare(b.title))).toEqual(bobsTasks);
  });

  it("Bob still reads each of his tasks by id", async () => {
    for (const task of bobsTasks) expect(await readOwnTask(bob, task.id)).toEqual(task);
  });

  it("her session is gone too, so she can no longer mint a task-API token", async () => {
    const response = await call("GET", "/api/auth/token", { headers: { Cookie: alice.cookie } });
    expect(response.status).toBe(401);
    expect(await db().session.count({ where: { userId: alice.id } })).toBe(0);
  });

  // Known app bug (reported): the task routes trust any valid token's `sub` without checking the user still
  // exists, so the insert hits the tasks_user_id_fkey constraint and the API answers 500 internal_error.
  it("Alice's leftover (still unexpired) token cannot create a task: 401 invalid_token, nothing stored", async () => {
    const response = await call("POST", tasksPath(alice), { token: alice.token, json: { title: "Ghost task" } });
    expect(response.status, await response.clone().text()).toBe(401);
    await expectInvalidToken(response);
    expect(await db().task.count({ where: { userId: alice.id } })).toBe(0);
  });
});
