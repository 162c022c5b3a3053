// The browser's client for the public task API (`/api/{userId}/tasks`), the same API `curl` uses.
// Every call returns a typed result instead of throwing, so the UI handles each failure explicitly.

import { z } from "zod";
import { ErrorBody, type FieldProblem } from "@/lib/http/error-body";
import {
  type TaskCreate,
  TaskJson,
  type TaskMove,
  type TaskPatch,
  type TaskReplace,
  TaskSummaryJson,
} from "@/lib/tasks/schema";
import { type Section, sectionQuery } from "./sections";
import { getToken, peekToken, renewToken, SessionEndedError, TokenUnavailableError } from "./token";

export type Task = TaskJson;
export type TaskSummary = TaskSummaryJson;

export type { FieldProblem };

export type ApiErrorKind =
  /** The server could not be reached (offline, DNS, connection reset). */
  | "network"
  /** The session is gone: the user must sign in again. */
  | "session"
  /** The request was cancelled by the caller. */
  | "aborted"
  /** The server answered with an error status (or a body we could not read). */
  | "http";

export interface ApiError {
  kind: ApiErrorKind;
  /** HTTP status, 0 when there was no response. */
  status: number;
  /** The API's stable code (`validation_error`, `not_found`...), or one of ours (`network_error`...). */
  code: string;
  /** A sentence for people. */
  detail: string;
  fields: FieldProblem[];
}

/** A success carries the task's `ETag` when the API sent one (GET, POST, PUT and PATCH of one task). */
export type ApiResult<T> = { ok: true; data: T; etag?: string } | { ok: false; error: ApiError };

const TaskList = z.array(TaskJson);

/** What the list shows at once: the first page, then one more per "Load more". */
export const PAGE_SIZE = 50;

/** The list's query: the section's own parameters, `completed=` from the filter, `q=` from the search field. */
export interface TaskListQuery {
  completed?: boolean;
  q?: string;
  section?: Section;
  /** The browser's IANA time zone, for the Today and Upcoming views. */
  timeZone?: string;
}

/**
 * The query string of a list's first page (`?limit=50&…`). The server page reads its first page with the same one, so
 * its `next` link (whose cursor is bound to the query) is the one the browser would have been given.
 */
export function taskListSearch({ completed, q, section = { kind: "all" }, timeZone = "UTC" }: TaskListQuery): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), ...sectionQuery(section, timeZone) });
  if (completed !== undefined) params.set("completed", String(completed));
  if (q) params.set("q", q);
  return `?${params}`;
}

/** One page of the list and the path of the next one (from `Link: <…>; rel="next"`), if any. */
export interface TaskPage {
  tasks: Task[];
  next: string | undefined;
}

/**
 * The path and query of the `rel="next"` link of a paginated answer, if it points into the same collection.
 * Only the path is kept (the server may name itself by an internal host); the request stays on our origin.
 */
function nextLink(response: Response, collection: string): string | undefined {
  const header = response.headers.get("link");
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const match = part.match(/<([^>]+)>\s*;(.*)$/);
    if (!match?.[1] || !/\brel="?next"?/i.test(match[2] ?? "")) continue;
    try {
      const url = new URL(match[1], window.location.href);
      if (url.pathname === collection) return `${url.pathname}${url.search}`;
    } catch {
      // An unreadable link: treat the list as complete.
    }
  }
  return undefined;
}

function failure(kind: ApiErrorKind, status: number, code: string, detail: string, fields: FieldProblem[] = []) {
  return { ok: false as const, error: { kind, status, code, detail, fields } };
}

const NETWORK_DETAIL = "Couldn't reach the server. Check your connection and try again.";

/** The failure an error answer is: the API's error body when it sent one. */
export async function errorFromResponse(response: Response): Promise<ApiResult<never>> {
  const body = ErrorBody.safeParse(await response.json().catch(() => undefined));
  if (body.success) return failure("http", response.status, body.data.error, body.data.detail, body.data.fields);
  const detail =
    response.status >= 500
      ? "The server had a problem. Try again in a moment."
      : `The server refused the request (HTTP ${response.status}).`;
  return failure("http", response.status, "unexpected_response", detail);
}

/** No answer at all: offline, DNS, a reset connection. */
export const networkFailure = () => failure("network", 0, "network_error", NETWORK_DETAIL);

/** A success whose body is not what the API sends. */
export const unreadableAnswer = (status: number) =>
  failure("http", status, "unexpected_response", "The server sent an answer we could not read.");

/** A token that could not be had: the session ended, or the server could not be reached. */
export function tokenFailure(error: unknown): ApiResult<never> {
  if (error instanceof SessionEndedError) return failure("session", 401, "session_ended", error.message);
  if (error instanceof TokenUnavailableError && error.status === 0) return networkFailure();
  if (error instanceof TokenUnavailableError) return failure("http", error.status, "token_unavailable", error.message);
  throw error;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof DOMException && error.name === "AbortError");
}

export interface RequestOptions<T> {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Relative to the user's task collection, or a same-origin absolute path ("/api/..."). */
  path: string;
  body?: unknown;
  /** Validates the success body; omitted for 204 answers. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
  /** `If-Match`: the task's last known ETag, so a write never silently overwrites another client's change. */
  ifMatch?: string;
}

export interface TasksApiOptions {
  /** Called when the session has ended, before the failed result is returned (e.g. to go to sign-in). */
  onSessionEnded?: () => void;
}

/** One authenticated request to the API, as every call of this client makes it. */
export type TaskRequest = <T>(request: RequestOptions<T>) => Promise<ApiResult<T>>;

export interface TasksApi {
  request: TaskRequest;
  /** The first page of the list for this query (newest first, `PAGE_SIZE` tasks). */
  list(query: TaskListQuery, signal?: AbortSignal): Promise<ApiResult<TaskPage>>;
  /** The page a previous answer's `next` points to. */
  listMore(next: string, signal?: AbortSignal): Promise<ApiResult<TaskPage>>;
  /** The counts for the filter buttons and the sidebar (`GET …/tasks/summary`), views in `timeZone`. */
  summary(timeZone: string, signal?: AbortSignal): Promise<ApiResult<TaskSummary>>;
  get(taskId: string, signal?: AbortSignal): Promise<ApiResult<Task>>;
  create(input: TaskCreate): Promise<ApiResult<Task>>;
  /** With `ifMatch`, a 412 `precondition_failed` means the task changed elsewhere since that ETag. */
  patch(taskId: string, patch: TaskPatch, ifMatch?: string): Promise<ApiResult<Task>>;
  replace(taskId: string, input: TaskReplace, ifMatch?: string): Promise<ApiResult<Task>>;
  /** A place in manual order (`before`/`after` another task, or the top), in its list or in `list_id`'s. */
  move(taskId: string, move: TaskMove, ifMatch?: string): Promise<ApiResult<Task>>;
  remove(taskId: string, ifMatch?: string): Promise<ApiResult<undefined>>;
  /** Fire-and-forget DELETE that survives the page unloading (`keepalive`); false if it could not be sent. */
  removeOnUnload(taskId: string, ifMatch?: string): boolean;
}

export function createTasksApi(userId: string, options: TasksApiOptions = {}): TasksApi {
  const base = `/api/${encodeURIComponent(userId)}/tasks`;

  function send(token: string, { method, path, body, signal, ifMatch }: RequestOptions<unknown>): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (ifMatch !== undefined) headers["If-Match"] = ifMatch;
    return fetch(path.startsWith("/api/") ? path : `${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: "no-store",
      credentials: "omit",
    });
  }

  async function request<T>(req: RequestOptions<T>): Promise<ApiResult<T>> {
    const result = await requestWithLinks(req);
    return result.ok ? { ok: true, data: result.data, etag: result.etag } : result;
  }

  async function requestWithLinks<T>(req: RequestOptions<T>): Promise<ApiResult<T> & { next?: string }> {
    const sessionEnded = (result: ApiResult<never>) => {
      if (!result.ok && result.error.kind === "session") options.onSessionEnded?.();
      return result;
    };
    let token: string;
    try {
      token = await getToken();
    } catch (error) {
      return sessionEnded(tokenFailure(error));
    }
    let response: Response;
    try {
      response = await send(token, req);
      if (response.status === 401) {
        // Expired or rotated underneath us: one fresh token, one retry. The user never sees this 401.
        try {
          token = await renewToken(token);
        } catch (error) {
          return sessionEnded(tokenFailure(error));
        }
        response = await send(token, req);
      }
    } catch (error) {
      if (isAbort(error, req.signal)) return failure("aborted", 0, "aborted", "The request was cancelled.");
      return networkFailure();
    }
    if (!response.ok) return errorFromResponse(response);
    if (!req.schema) return { ok: true, data: undefined as T };
    const parsed = req.schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return unreadableAnswer(response.status);
    const etag = response.headers.get("etag") ?? undefined;
    return { ok: true, data: parsed.data, etag, next: nextLink(response, base) };
  }

  async function listPage(path: string, signal?: AbortSignal): Promise<ApiResult<TaskPage>> {
    const result = await requestWithLinks({ method: "GET", path, schema: TaskList, signal });
    return result.ok ? { ok: true, data: { tasks: result.data, next: result.next } } : result;
  }

  const taskPath = (taskId: string) => `/${encodeURIComponent(taskId)}`;

  return {
    request,
    list: (query, signal) => listPage(taskListSearch(query), signal),
    listMore: (next, signal) => listPage(next, signal),
    summary: (timeZone, signal) =>
      request({
        method: "GET",
        path: `/summary?${new URLSearchParams({ tz: timeZone })}`,
        schema: TaskSummaryJson,
        signal,
      }),
    get: (taskId, signal) => request({ method: "GET", path: taskPath(taskId), schema: TaskJson, signal }),
    create: (input) => request({ method: "POST", path: "", body: input, schema: TaskJson }),
    patch: (taskId, patch, ifMatch) =>
      request({ method: "PATCH", path: taskPath(taskId), body: patch, schema: TaskJson, ifMatch }),
    replace: (taskId, input, ifMatch) =>
      request({ method: "PUT", path: taskPath(taskId), body: input, schema: TaskJson, ifMatch }),
    move: (taskId, move, ifMatch) =>
      request({ method: "POST", path: `${taskPath(taskId)}/move`, body: move, schema: TaskJson, ifMatch }),
    remove: async (taskId, ifMatch) => {
      const result = await request<undefined>({ method: "DELETE", path: taskPath(taskId), ifMatch });
      // Already gone is what we wanted.
      if (!result.ok && result.error.status === 404) return { ok: true, data: undefined };
      return result;
    },
    removeOnUnload: (taskId, ifMatch) => {
      const token = peekToken();
      if (!token) return false;
      try {
        void fetch(`${base}${taskPath(taskId)}`, {
          method: "DELETE",
          headers: { Authorization: `Bearer ${token}`, ...(ifMatch === undefined ? {} : { "If-Match": ifMatch }) },
          keepalive: true,
          credentials: "omit",
        }).catch(() => {});
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * An `ApiError` as a thrown value, for callers built on promises that reject (TanStack Query's `queryFn` and
 * `mutationFn`); everything else keeps the typed results.
 */
export class ApiFailure extends Error {
  readonly apiError: ApiError;
  constructor(apiError: ApiError) {
    super(apiError.detail);
    this.name = "ApiFailure";
    this.apiError = apiError;
  }
}

/** The data of a successful result; a failure is thrown as `ApiFailure`. */
export async function unwrap<T>(result: Promise<ApiResult<T>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new ApiFailure(settled.error);
  return settled.data;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
