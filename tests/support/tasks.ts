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
  return expectJson<TaskJson>(response, 201);
}

export async function listTasks(user: TestUser): Promise<TaskJson[]> {
  const response = await call("GET", tasksPath(user), { token: user.token });
  return expectJson<TaskJson[]>(response, 200);
}

/** Asserts the status (the body tells what went wrong when it is another) and returns the JSON body. */
export async function expectJson<T>(response: Response, status: number): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
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
