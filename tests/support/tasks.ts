import { expect } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "./app.ts";
import type { TestUser } from "./users.ts";

export const tasksPath = (user: { id: string }) => `/api/${user.id}/tasks`;
export const taskPath = (user: { id: string }, taskId: string) => `/api/${user.id}/tasks/${taskId}`;

export async function createTask(
  user: TestUser,
  input: Record<string, unknown> = { title: "Buy milk" },
): Promise<TaskJson> {
  const response = await call("POST", tasksPath(user), { token: user.token, json: input });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as TaskJson;
}

export async function listTasks(user: TestUser): Promise<TaskJson[]> {
  const response = await call("GET", tasksPath(user), { token: user.token });
  expect(response.status).toBe(200);
  return (await response.json()) as TaskJson[];
}

/** Asserts the `{error, detail}` body every failure carries, and returns it for further checks. */
export async function expectError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as {
    error: string;
    detail: string;
    fields?: { field: string; message: string }[];
  };
  expect(body.error).toBe(error);
  expect(typeof body.detail).toBe("string");
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}
