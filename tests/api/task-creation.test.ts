import { beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, call } from "../support/app.ts";
import { expectListUnchanged, expectTaskJson, expectValidationError, readTask, sleep } from "../support/requests.ts";
import { createTask, listTasks, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

let person: TestUser;

beforeAll(async () => {
  person = await signUp("Creator");
});

const post = (json: unknown) => call("POST", tasksPath(person), { token: person.token, json });

/** Posts a body that must be refused with 422 naming `field`, and checks that nothing was stored. */
async function expectRefused(json: unknown, field: string) {
  const before = await listTasks(person);
  const body = await expectValidationError(await post(json), field);
  await expectListUnchanged(person, before);
  return body;
}

describe("a person adds a task", () => {
  it("a person adds a task with a title and a description", async () => {
    const before = Date.now();
    const response = await post({ title: "Buy groceries", description: "Milk, eggs, bread" });
    expect(response.status).toBe(201);
    const task = await response.json();
    expectTaskJson(task, person);
    expect(task).toMatchObject({ title: "Buy groceries", description: "Milk, eggs, bread", completed: false });
    expect(Date.parse(task.created_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(task.updated_at).toBe(task.created_at);

    const location = response.headers.get("location");
    expect(location).toBe(`${BASE_URL}${taskPath(person, task.id)}`);
    const fetched = await call("GET", new URL(location ?? "").pathname, { token: person.token });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(task);
    expect((await listTasks(person)).map((listed) => listed.id)).toContain(task.id);
  });

  it("a person adds a task without a description", async () => {
    const response = await post({ title: "Call mum" });
    expect(response.status).toBe(201);
    const task = await response.json();
    expectTaskJson(task, person);
    expect(task).toMatchObject({ title: "Call mum", description: null, completed: false });
    expect(await readTask(person, task.id)).toEqual(task);
  });

  it("a person adds a task with an explicitly empty (null) description", async () => {
    const task = await createTask(person, { title: "No details", description: null });
    expect(task.description).toBeNull();
    expect(await readTask(person, task.id)).toEqual(task);
  });

  it("a person adds a task that is already done", async () => {
    const task = await createTask(person, { title: "Filed the report", completed: true });
    expect(task.completed).toBe(true);
    expect((await readTask(person, task.id)).completed).toBe(true);
  });

  it("a title with a trailing space still fits when the trimmed title is 500 characters", async () => {
    const task = await createTask(person, { title: `${"a".repeat(500)} ` });
    expect(task.title).toBe("a".repeat(500));
  });

  it("each new task gets its own id", async () => {
    const [one, two] = await Promise.all([
      createTask(person, { title: "Same" }),
      createTask(person, { title: "Same" }),
    ]);
    expect(one?.id).not.toBe(two?.id);
  });

  it("the title is saved without surrounding whitespace", async () => {
    const task = await createTask(person, { title: "  \t Water the plants \n " });
    expect(task.title).toBe("Water the plants");
    expect((await readTask(person, task.id)).title).toBe("Water the plants");
  });

  it("whitespace inside the title is kept as typed", async () => {
    const task = await createTask(person, { title: "Pay  rent\tthen relax" });
    expect((await readTask(person, task.id)).title).toBe("Pay  rent\tthen relax");
  });
});

describe("a person must give a task a usable title", () => {
  it("a task without a title is refused (422 naming title) and nothing is stored", async () => {
    const body = await expectRefused({ description: "no title here" }, "title");
    expect(body.fields?.find((problem) => problem.field === "title")?.message).toMatch(/required/i);
  });

  it("an empty title is refused and nothing is stored", async () => {
    await expectRefused({ title: "" }, "title");
  });

  it("a whitespace-only title is refused and nothing is stored", async () => {
    await expectRefused({ title: " \t\n  " }, "title");
  });

  it("a title of 500 characters is accepted", async () => {
    const title = "a".repeat(500);
    const task = await createTask(person, { title });
    expect((await readTask(person, task.id)).title).toBe(title);
  });

  it("a title of 501 characters is refused and nothing is stored", async () => {
    await expectRefused({ title: "a".repeat(501) }, "title");
  });

  it("a title of 500 emoji (4-byte characters) is accepted and round-trips exactly", async () => {
    const title = "😀🎉🚀𝄞".repeat(125);
    expect([...title]).toHaveLength(500);
    const task = await createTask(person, { title });
    expect(task.title).toBe(title);
    expect((await readTask(person, task.id)).title).toBe(title);
  });

  it("a title of 501 emoji is refused and nothing is stored", async () => {
    await expectRefused({ title: "😀".repeat(501) }, "title");
  });
});

describe("a person describes a task", () => {
  it("a description of 5000 characters is accepted", async () => {
    const description = "d".repeat(5000);
    const task = await createTask(person, { title: "Long notes", description });
    expect((await readTask(person, task.id)).description).toBe(description);
  });

  it("a description of 5001 characters is refused and nothing is stored", async () => {
    await expectRefused({ title: "Too long notes", description: "d".repeat(5001) }, "description");
  });

  it("the description is stored exactly as sent, whitespace and line breaks included", async () => {
    const description = "  line one\n\tline two  \r\n";
    const task = await createTask(person, { title: "Verbatim", description });
    expect((await readTask(person, task.id)).description).toBe(description);
  });
});

describe("a new task is stamped by the server", () => {
  it("tasks added later have later created_at", async () => {
    const earlier = await createTask(person, { title: "Earlier" });
    await sleep(5);
    const later = await createTask(person, { title: "Later" });
    expect(Date.parse(later.created_at)).toBeGreaterThan(Date.parse(earlier.created_at));
  });
});
