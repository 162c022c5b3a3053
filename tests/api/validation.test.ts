import { beforeAll, describe, expect, it } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { expectListUnchanged, expectUnchanged, expectValidationError, readTask, send } from "../support/requests.ts";
import { createTask, listTasks, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

let person: TestUser;
let task: TaskJson;

beforeAll(async () => {
  person = await signUp("Validator");
  task = await createTask(person, { title: "The one task", description: "left alone by refused changes" });
});

type Method = "POST" | "PUT" | "PATCH";

const pathFor = (method: Method) => (method === "POST" ? tasksPath(person) : taskPath(person, task.id));

/** A valid body for the method, with `overrides` on top. */
function bodyFor(method: Method, overrides: Record<string, unknown>): Record<string, unknown> {
  if (method === "POST") return { title: "A title", ...overrides };
  if (method === "PUT") return { title: "A title", description: null, completed: false, ...overrides };
  return { ...overrides };
}

/**
 * Sends a refused request and checks that it changed nothing: for POST the list is as it was, for PUT/PATCH
 * the task reads back identical (title, timestamps, id and owner).
 */
async function expectRefused(method: Method, request: () => Promise<Response>, field?: string) {
  const listBefore = await listTasks(person);
  const body = await expectValidationError(await request(), field);
  await expectListUnchanged(person, listBefore);
  if (method !== "POST") await expectUnchanged(person, task);
  return body;
}

const sendJson = (method: Method, json: unknown) => call(method, pathFor(method), { token: person.token, json });

describe("values of the wrong type are refused, not coerced", () => {
  it.each<[string, Method, Record<string, unknown>, string]>([
    ['"completed": "true" (a string)', "PATCH", { completed: "true" }, "completed"],
    ['"completed": "true" (a string)', "PUT", { completed: "true" }, "completed"],
    ['"completed": 1 (a number)', "PATCH", { completed: 1 }, "completed"],
    ['"title": 123 (a number)', "POST", { title: 123 }, "title"],
    ['"title": 123 (a number)', "PUT", { title: 123 }, "title"],
    ['"title": 123 (a number)', "PATCH", { title: 123 }, "title"],
    ['"title": ["a"] (an array)', "POST", { title: ["a"] }, "title"],
    ['"description": 5 (a number)', "POST", { description: 5 }, "description"],
    ['"description": 5 (a number)', "PUT", { description: 5 }, "description"],
    ['"description": 5 (a number)', "PATCH", { description: 5 }, "description"],
    ['"description": false (a boolean)', "PATCH", { description: false }, "description"],
  ])("%s in a %s is 422 and stores nothing", async (_what, method, overrides, field) => {
    await expectRefused(method, () => sendJson(method, bodyFor(method, overrides)), field);
  });
});

describe("a refusal explains what is wrong with each field", () => {
  const messageFor = async (method: Method, overrides: Record<string, unknown>, field: string) => {
    const body = await expectRefused(method, () => sendJson(method, bodyFor(method, overrides)), field);
    return body.fields?.find((problem) => problem.field === field)?.message ?? "";
  };

  it("a title that is a number is explained as a wrong type, not as a missing title", async () => {
    const message = await messageFor("POST", { title: 123 }, "title");
    expect(message).not.toMatch(/required/i);
    expect(message).toMatch(/string/i);
  });

  it('"completed": "true" is explained as needing true or false, not as a missing field', async () => {
    const message = await messageFor("PATCH", { completed: "true" }, "completed");
    expect(message).not.toMatch(/required/i);
    expect(message).toMatch(/true or false|boolean/i);
  });

  it("title: null is explained as a null title, not as a missing one", async () => {
    const message = await messageFor("PATCH", { title: null }, "title");
    expect(message).not.toMatch(/required/i);
    expect(message).toMatch(/null/i);
  });

  it("a missing title is explained as required", async () => {
    expect(await messageFor("POST", { title: undefined, description: "no title" }, "title")).toMatch(/required/i);
  });

  it("a body that is not an object is explained as such, not as a blank field", async () => {
    const body = await expectRefused("POST", () =>
      send("POST", tasksPath(person), { token: person.token, body: "[]" }),
    );
    for (const problem of body.fields ?? []) expect(problem.field).not.toBe("");
    expect(body.detail).not.toMatch(/:\s+is required/);
  });
});

describe("null is only accepted where a task can have no value", () => {
  it.each<[Method, string]>([
    ["POST", "title"],
    ["PUT", "title"],
    ["PATCH", "title"],
    ["PUT", "completed"],
    ["PATCH", "completed"],
  ])("a %s with %s: null is 422 and stores nothing", async (method, field) => {
    await expectRefused(method, () => sendJson(method, bodyFor(method, { [field]: null })), field);
  });

  it("a new task may have description: null", async () => {
    const created = await createTask(person, { title: "Null description", description: null });
    expect((await readTask(person, created.id)).description).toBeNull();
  });

  it("a PATCH may set description: null", async () => {
    const own = await createTask(person, { title: "Has a description", description: "to be cleared" });
    const response = await call("PATCH", taskPath(person, own.id), {
      token: person.token,
      json: { description: null },
    });
    expect(response.status).toBe(200);
    expect((await readTask(person, own.id)).description).toBeNull();
  });

  it("a PUT may set description: null", async () => {
    const own = await createTask(person, { title: "Has a description", description: "to be cleared" });
    const response = await call("PUT", taskPath(person, own.id), {
      token: person.token,
      json: { title: "Has a description", description: null, completed: false },
    });
    expect(response.status).toBe(200);
    expect((await readTask(person, own.id)).description).toBeNull();
  });
});

describe("only title, description and completed can be set", () => {
  const attempts: [string, unknown][] = [
    ["id", "00000000-0000-4000-8000-000000000000"],
    ["user_id", "someone-else"],
    ["created_at", "2000-01-01T00:00:00.000Z"],
    ["updated_at", "2000-01-01T00:00:00.000Z"],
    ["foo", "bar"],
  ];
  const cases = (["POST", "PUT", "PATCH"] as const).flatMap((method) =>
    attempts.map(([field, value]) => [field, method, value] as [string, Method, unknown]),
  );

  it.each(cases)(
    "sending %s in a %s is 422 naming the field, and the task's identity and owner stay put",
    async (field, method, value) => {
      const body = await expectRefused(method, () => sendJson(method, bodyFor(method, { [field]: value })), field);
      expect(body.fields?.find((problem) => problem.field === field)?.message).toContain(field);
      // No task appeared under the id that was sent, and the list still belongs to this person only.
      for (const listed of await listTasks(person)) {
        expect(listed.user_id).toBe(person.id);
        expect(listed.id).not.toBe("00000000-0000-4000-8000-000000000000");
      }
    },
  );

  it("a field named __proto__ is refused like any other unknown field", async () => {
    await expectRefused(
      "PATCH",
      () =>
        send("PATCH", pathFor("PATCH"), {
          token: person.token,
          body: '{"completed":true,"__proto__":{"completed":false}}',
        }),
      "__proto__",
    );
  });

  it("several unknown fields are all named", async () => {
    const body = await expectRefused("POST", () => sendJson("POST", { title: "t", foo: 1, bar: 2 }));
    expect(body.fields?.map((problem) => problem.field)).toEqual(expect.arrayContaining(["foo", "bar"]));
  });
});

describe("text must be real, storable Unicode", () => {
  it.each<[Method, string]>([
    ["POST", "title"],
    ["POST", "description"],
    ["PUT", "title"],
    ["PUT", "description"],
    ["PATCH", "title"],
    ["PATCH", "description"],
  ])("a NUL character in a %s %s is 422 and stores nothing", async (method, field) => {
    await expectRefused(method, () => sendJson(method, bodyFor(method, { [field]: "before\u0000after" })), field);
  });

  it.each<[string, Method, string]>([
    ["a lone high surrogate \\ud800 in the title", "POST", '{"title":"x\\ud800y"}'],
    ["a lone low surrogate \\udc00 in the title", "POST", '{"title":"\\udc00"}'],
    ["surrogates in the wrong order in the title", "POST", '{"title":"\\ude00\\ud83d"}'],
    ["a lone surrogate in the description", "POST", '{"title":"ok","description":"\\ud800"}'],
    ["a lone surrogate in a PATCH title", "PATCH", '{"title":"\\ud800"}'],
    ["a lone surrogate in a PUT description", "PUT", '{"title":"ok","description":"\\udbff","completed":false}'],
  ])("%s (%s) is 422 and stores nothing", async (_what, method, raw) => {
    const field = raw.includes('"description":"\\u') ? "description" : "title";
    await expectRefused(method, () => send(method, pathFor(method), { token: person.token, body: raw }), field);
  });

  it("an escaped surrogate pair is a real character and is accepted", async () => {
    const response = await send("POST", tasksPath(person), { token: person.token, body: '{"title":"\\ud83d\\ude00"}' });
    expect(response.status).toBe(201);
    const created = (await response.json()) as TaskJson;
    expect((await readTask(person, created.id)).title).toBe("😀");
  });

  it.each([
    ["emoji", "Party 🎉 with 👩‍👩‍👧‍👦 and 🇯🇵"],
    ["Arabic (right-to-left)", "اشترِ الحليب والخبز"],
    ["Hebrew (right-to-left)", "לקנות חלב ולחם"],
    ["mixed direction text with a bidi mark", "Meet דנה at 5\u200f pm"],
    ["combining characters", "cafe\u0301 n\u0303 a\u0308\u0304 Z\u0351\u0358\u035c"],
    ["4-byte characters", "𝄞 𠜎 𝕏 🀄"],
  ])("a title and description in %s round-trip exactly", async (_kind, text) => {
    const created = await createTask(person, { title: text, description: `${text}\n${text}` });
    expect(created.title).toBe(text);
    const stored = await readTask(person, created.id);
    expect(stored.title).toBe(text);
    expect(stored.description).toBe(`${text}\n${text}`);
    // Not normalised either way: same code points, same UTF-16 length.
    expect([...stored.title]).toEqual([...text]);
    expect((await listTasks(person)).find((listed) => listed.id === created.id)?.title).toBe(text);
  });
});

describe("the body must be a JSON object", () => {
  it.each<[string, Method, string]>([
    ["a JSON array", "POST", '[{"title":"in an array"}]'],
    ["a JSON string", "POST", '"Buy milk"'],
    ["a JSON number", "POST", "42"],
    ["JSON null", "POST", "null"],
    ["a JSON array", "PUT", '[{"title":"t","description":null,"completed":true}]'],
    ["a JSON string", "PATCH", '"completed"'],
    ["a JSON array", "PATCH", "[]"],
  ])("%s as a %s body is 422 and stores nothing", async (_what, method, raw) => {
    await expectRefused(method, () => send(method, pathFor(method), { token: person.token, body: raw }));
  });
});
