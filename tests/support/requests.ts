import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import { BASE_URL, call, dispatch } from "./app.ts";
import { expectError, expectJson, listTasks, taskPath } from "./tasks.ts";
import type { TestUser } from "./users.ts";

export const TASK_FIELDS = [
  "completed",
  "created_at",
  "description",
  "due_date",
  "due_time",
  "id",
  "list_id",
  "position",
  "priority",
  "tags",
  "title",
  "updated_at",
  "user_id",
  "version",
];
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** ISO 8601 in UTC, as `Date.prototype.toISOString` writes it: `2026-01-07T10:00:00.000Z`. */
export const ISO_UTC_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A well-formed UUID that no task has. */
export const unknownTaskId = () => randomUUID();

/** Asserts the task JSON contract: exactly the seven fields, a UUID id and UTC ISO 8601 timestamps. */
export function expectTaskJson(task: unknown, owner?: { id: string }): asserts task is TaskJson {
  expect(task).toBeTypeOf("object");
  expect(Object.keys(task as object).sort()).toEqual(TASK_FIELDS);
  const { id, title, description, completed, created_at, updated_at, user_id } = task as TaskJson;
  expect(id).toMatch(UUID_PATTERN);
  expect(title).toBeTypeOf("string");
  expect(description === null || typeof description === "string").toBe(true);
  expect(completed).toBeTypeOf("boolean");
  expect(created_at).toMatch(ISO_UTC_PATTERN);
  expect(updated_at).toMatch(ISO_UTC_PATTERN);
  expect(Number.isNaN(Date.parse(created_at))).toBe(false);
  expect(Number.isNaN(Date.parse(updated_at))).toBe(false);
  if (owner) expect(user_id).toBe(owner.id);
}

export type RawOptions = {
  token?: string;
  body?: BodyInit | null;
  /** `null` sends no Content-Type at all. */
  contentType?: string | null;
  headers?: Record<string, string>;
};

/** Sends a body exactly as given (a raw string, bytes or stream), with `application/json` unless told otherwise. */
export function send(method: string, path: string, options: RawOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set("Authorization", `Bearer ${options.token}`);
  const contentType = options.contentType === undefined ? "application/json" : options.contentType;
  if (contentType !== null) headers.set("Content-Type", contentType);
  const body = options.body ?? null;
  const streaming = body instanceof ReadableStream;
  return dispatch(
    new Request(new URL(path, BASE_URL), {
      method,
      headers,
      body,
      ...(streaming ? { duplex: "half" } : {}),
    } as RequestInit),
  );
}

/** GETs one task, returning the raw response. */
export function fetchTask(user: TestUser, taskId: string): Promise<Response> {
  return call("GET", taskPath(user, taskId), { token: user.token });
}

/** GETs one task that must exist, and returns it. */
export async function readTask(user: TestUser, taskId: string): Promise<TaskJson> {
  const response = await fetchTask(user, taskId);
  return expectJson<TaskJson>(response, 200);
}

/** After a refused change: the task reads back exactly as it was, timestamps included. */
export async function expectUnchanged(user: TestUser, before: TaskJson): Promise<void> {
  expect(await readTask(user, before.id)).toEqual(before);
}

/** After a refused creation: the person's list is exactly what it was. */
export async function expectListUnchanged(user: TestUser, before: TaskJson[]): Promise<void> {
  expect(await listTasks(user)).toEqual(before);
}

export type ErrorBody = Awaited<ReturnType<typeof expectError>>;

/** Asserts a 422 `validation_error`; when a field is given, the `fields` list must name it. */
export async function expectValidationError(response: Response, field?: string): Promise<ErrorBody> {
  const body = await expectError(response, 422, "validation_error");
  expect(Array.isArray(body.fields)).toBe(true);
  expect(body.fields?.length).toBeGreaterThan(0);
  for (const problem of body.fields ?? []) {
    expect(problem.field).toBeTypeOf("string");
    expect(problem.message).toBeTypeOf("string");
  }
  if (field !== undefined) {
    expect(body.fields?.map((problem) => problem.field)).toContain(field);
  }
  return body;
}

/**
 * A request body that would yield `chunkCount` chunks of `chunkBytes` spaces (valid JSON whitespace), counting
 * how many the reader pulled. `highWaterMark: 0` means nothing is pulled before someone reads.
 */
export function countingStream(chunkBytes: number, chunkCount: number) {
  let pulled = 0;
  let cancelled = false;
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
        if (pulled >= chunkCount) controller.close();
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

/** Patterns that would mean an error body leaks internals: ORM names, SQL, stack frames or file paths. */
export const LEAK_PATTERNS = [
  /prisma/i,
  /\bSELECT\b/i,
  /\bINSERT\b/,
  /\bUPDATE\s+"/,
  /\n\s*at /,
  /^\s*at \S+/m,
  /\(\S+:\d+:\d+\)/,
  /node:internal/,
  /file:\/\//,
  /node_modules/,
];

export async function expectNoLeak(response: Response): Promise<string> {
  const text = await response.clone().text();
  for (const pattern of LEAK_PATTERNS) expect(text, `error body matches ${pattern}`).not.toMatch(pattern);
  return text;
}
