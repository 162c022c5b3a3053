import { beforeAll, describe, expect, it } from "vitest";
import { TaskSummaryJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { createTask, expectError, taskPath } from "../support/tasks.ts";
import { type TestUser, twoUsers } from "../support/users.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const summaryRequest = (method: Method, userId: string, token?: string) =>
  call(method, `/api/${userId}/tasks/summary`, { token });

/** The seed's three counts (the per-list, view and tag counts have tests in organise-tasks.test.ts). */
async function summaryOf(user: TestUser): Promise<Pick<TaskSummaryJson, "total" | "active" | "completed">> {
  const response = await summaryRequest("GET", user.id, user.token);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body: unknown = await response.json();
  expect(Object.keys(body as object).sort()).toEqual([
    "active",
    "completed",
    "inbox",
    "lists",
    "tags",
    "total",
    "views",
  ]);
  const { total, active, completed } = TaskSummaryJson.parse(body);
  return { total, active, completed };
}

describe("GET /api/{userId}/tasks/summary counts the user's tasks", () => {
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    [alice, bob] = await twoUsers();
  });

  it("is all zeros for a user without tasks", async () => {
    expect(await summaryOf(alice)).toEqual({ total: 0, active: 0, completed: 0 });
  });

  it("follows creates, toggles and deletes, and never counts another user's tasks", async () => {
    // Bob's tasks exist throughout: none of them may show up in Alice's counts.
    await createTask(bob, { title: "Bob: open" });
    await createTask(bob, { title: "Bob: done", completed: true });

    const milk = await createTask(alice, { title: "Buy milk" });
    const report = await createTask(alice, { title: "Write report" });
    await createTask(alice, { title: "Already done", completed: true });
    expect(await summaryOf(alice)).toEqual({ total: 3, active: 2, completed: 1 });

    const toggled = await call("PATCH", taskPath(alice, milk.id), { token: alice.token, json: { completed: true } });
    expect(toggled.status).toBe(200);
    expect(await summaryOf(alice)).toEqual({ total: 3, active: 1, completed: 2 });

    const reopened = await call("PATCH", taskPath(alice, milk.id), { token: alice.token, json: { completed: false } });
    expect(reopened.status).toBe(200);
    expect(await summaryOf(alice)).toEqual({ total: 3, active: 2, completed: 1 });

    const deleted = await call("DELETE", taskPath(alice, report.id), { token: alice.token });
    expect(deleted.status).toBe(204);
    expect(await summaryOf(alice)).toEqual({ total: 2, active: 1, completed: 1 });

    expect(await summaryOf(bob)).toEqual({ total: 2, active: 1, completed: 1 });
  });

  it("is 401 invalid_token without a token", async () => {
    const response = await summaryRequest("GET", alice.id);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  });

  it("is 401 invalid_token with a token that is not a JWT", async () => {
    await expectError(await summaryRequest("GET", alice.id, "not-a-token"), 401, "invalid_token");
  });

  it("is 403 forbidden for another user's summary, with no counts in the body", async () => {
    const response = await summaryRequest("GET", bob.id, alice.token);
    const body = await expectError(response, 403, "forbidden");
    expect(body).not.toHaveProperty("total");
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"] as const)(
    "%s is 405 method_not_allowed with an Allow header",
    async (method) => {
      const response = await summaryRequest(method, alice.id, alice.token);
      await expectError(response, 405, "method_not_allowed");
      expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    },
  );
});
