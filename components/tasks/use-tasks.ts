"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Filter } from "@/lib/client/filters";
import { withNext } from "@/lib/client/next-path";
import {
  type ApiError,
  CHANGED_ELSEWHERE,
  createTasksApi,
  describeApiError,
  type Task,
  type TaskSummary,
  type TasksApi,
} from "@/lib/client/tasks-api";
import type { TaskCreate, TaskPatch } from "@/lib/tasks/schema";

/** How long a deleted task can be brought back before the DELETE is sent. */
export const UNDO_MS = 5000;

/** Deletes still owed after the page was left during an undo window (sent again on the next load). */
const OWED_DELETES_KEY = "tasks:owed-deletes";

/** How long after the last change the counts are asked for again (one request for a burst of changes). */
const COUNTS_REFRESH_MS = 300;

export interface UiTask extends Task {
  /** Created here, not yet confirmed by the server. */
  pending?: boolean;
}

export type LoadState = { status: "loading" } | { status: "ready" } | { status: "error"; message: string };

export interface Notice {
  id: number;
  message: string;
}

export interface PendingDelete {
  task: UiTask;
  /** Local clock, ms; undefined while paused. */
  deadline: number | undefined;
  remaining: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** What the list asks the server for: the filter (`completed=`) and the search (`q=`, already trimmed). */
export interface ListQuery {
  filter: Filter;
  q: string;
}

export type Counts = Record<Filter, number>;

export const matchesFilter = (filter: Filter, task: Pick<Task, "completed">) =>
  filter === "all" || (filter === "active" ? !task.completed : task.completed);

function quote(title: string): string {
  const chars = [...title];
  return `“${chars.length > 60 ? `${chars.slice(0, 57).join("")}…` : title}”`;
}

/** Newest first, as the API orders them. */
function insertByDate(tasks: UiTask[], task: UiTask): UiTask[] {
  const without = tasks.filter((t) => t.id !== task.id);
  const index = without.findIndex((t) => t.created_at < task.created_at);
  return index === -1 ? [...without, task] : [...without.slice(0, index), task, ...without.slice(index)];
}

/** True when the server's version is not the one we last saw (another client wrote it meanwhile). */
function changedSince(seen: Task, current: Task): boolean {
  return (
    seen.updated_at !== current.updated_at ||
    seen.title !== current.title ||
    seen.description !== current.description ||
    seen.completed !== current.completed
  );
}

/** How the counts move when a task goes from `before` to `after` (undefined: not there). */
function countDelta(before: Pick<Task, "completed"> | undefined, after: Pick<Task, "completed"> | undefined) {
  const active = (after && !after.completed ? 1 : 0) - (before && !before.completed ? 1 : 0);
  const completed = (after?.completed ? 1 : 0) - (before?.completed ? 1 : 0);
  return { active, completed };
}

function countsOf(summary: TaskSummary): Counts {
  return { all: summary.total, active: summary.active, completed: summary.completed };
}

function readOwedDeletes(): string[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(OWED_DELETES_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

function writeOwedDeletes(ids: string[]) {
  try {
    if (ids.length === 0) sessionStorage.removeItem(OWED_DELETES_KEY);
    else sessionStorage.setItem(OWED_DELETES_KEY, JSON.stringify(ids));
  } catch {
    // Storage may be unavailable (private mode quotas): the keepalive request is then the only attempt.
  }
}

let temporaryIds = 0;

/** Before a write: the `If-Match` to send, or why not to send the write at all. */
type Precondition =
  | { kind: "send"; etag: string | undefined }
  | { kind: "conflict"; current: Task; etag: string | undefined }
  | { kind: "failed"; error: ApiError };

/**
 * The task list's state: one page at a time (newest first) for the current filter and search, and the counts.
 * Every change is applied at once and sent to the API; when the API refuses it, the task goes back to its last
 * confirmed state and a notice says why. Writes carry `If-Match` (see docs/decisions/0004), so a change made
 * elsewhere is never overwritten: the task then shows the server's version instead.
 */
export function useTasks(userId: string, query: ListQuery) {
  const api: TasksApi = useMemo(
    () =>
      createTasksApi(userId, {
        onSessionEnded: () => window.location.assign(withNext("/sign-in", "/tasks")),
      }),
    [userId],
  );

  const [tasks, setTasks] = useState<UiTask[]>([]);
  const [load, setLoad] = useState<LoadState>({ status: "loading" });
  /** The query the tasks on screen answer (while another one loads, the old list stays, marked busy). */
  const [loaded, setLoaded] = useState<ListQuery | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [serverCounts, setServerCounts] = useState<Counts | undefined>(undefined);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [pendingDelete, setPendingDelete] = useState<PendingDelete | null>(null);

  /** The last state the server confirmed, per task: what a refused change rolls back to. */
  const confirmed = useRef(new Map<string, Task>());
  /** The ETag of that state, when the API told us (GET one, POST, PUT, PATCH; the list has none). */
  const etags = useRef(new Map<string, string>());
  /** The latest change per task: older answers must not overwrite newer optimistic state. */
  const latestChange = useRef(new Map<string, number>());
  const changeCounter = useRef(0);
  /** Each task's writes, one after another, so that each one sends the ETag its predecessor got back. */
  const writeQueue = useRef(new Map<string, Promise<void>>());
  /** Writes started and not yet answered, per task: a list that arrives meanwhile must not undo them. */
  const inflight = useRef(new Map<string, number>());
  /** How many conflicts each task has had: a queued write from before the latest one is dropped. */
  const conflicts = useRef(new Map<string, number>());
  const pendingRef = useRef<PendingDelete | null>(null);
  /** Tasks created since the list was last requested: the list may not have them yet, but they must stay. */
  const createdHere = useRef(new Set<string>());
  const loadController = useRef<AbortController | null>(null);
  /** Bumped by every local change to the counts: a summary asked for before it is out of date. */
  const countsEpoch = useRef(0);
  const countsTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const tasksRef = useRef(tasks);
  tasksRef.current = tasks;

  /** The list on screen is every task (no filter, no search, no further page): it counts itself exactly. */
  const complete = load.status === "ready" && loaded?.filter === "all" && loaded.q === "" && next === undefined;
  const completeRef = useRef(complete);
  completeRef.current = complete;

  const localCounts = useMemo<Counts>(() => {
    const done = tasks.filter((task) => task.completed).length;
    return { all: tasks.length, active: tasks.length - done, completed: done };
  }, [tasks]);
  // While the list is complete its own counts are exact; they seed the server counts for when it no longer is.
  useEffect(() => {
    if (complete) setServerCounts(localCounts);
  }, [complete, localCounts]);
  const counts = complete ? localCounts : serverCounts;

  const notify = useCallback((message: string) => {
    setNotice((previous) => ({ id: (previous?.id ?? 0) + 1, message }));
  }, []);
  const dismissNotice = useCallback(() => setNotice(null), []);

  /** Moves the counts at once, for a change the server has not confirmed yet (or for its rollback). */
  const adjustCounts = useCallback(
    (before: Pick<Task, "completed"> | undefined, after: Pick<Task, "completed"> | undefined) => {
      const { active, completed } = countDelta(before, after);
      if (active === 0 && completed === 0) return;
      countsEpoch.current += 1;
      setServerCounts((current) =>
        current
          ? {
              all: current.all + active + completed,
              active: current.active + active,
              completed: current.completed + completed,
            }
          : current,
      );
    },
    [],
  );

  /** Asks for the counts, unless the list counts itself; an answer overtaken by a local change is dropped. */
  const refreshCounts = useCallback(async () => {
    if (completeRef.current) return;
    const epoch = countsEpoch.current;
    const result = await api.summary();
    if (!result.ok || epoch !== countsEpoch.current || [...inflight.current.values()].some((n) => n > 0)) return;
    // A task waiting out its undo window is still on the server, but no longer in the counts.
    const hidden = pendingRef.current?.task;
    const summary = countsOf(result.data);
    const { active, completed } = countDelta(hidden, undefined);
    setServerCounts({
      all: summary.all + active + completed,
      active: summary.active + active,
      completed: summary.completed + completed,
    });
  }, [api]);

  const scheduleCountsRefresh = useCallback(() => {
    clearTimeout(countsTimer.current);
    countsTimer.current = setTimeout(() => void refreshCounts(), COUNTS_REFRESH_MS);
  }, [refreshCounts]);
  useEffect(() => () => clearTimeout(countsTimer.current), []);

  /** Remembers what the server said about a task (and its ETag, if it sent one). */
  const remember = useCallback((task: Task, etag: string | undefined) => {
    confirmed.current.set(task.id, task);
    if (etag === undefined) etags.current.delete(task.id);
    else etags.current.set(task.id, etag);
  }, []);

  /** Tasks from a list answer: a version we already know stays; a newer one replaces it and its (stale) ETag. */
  const rememberListed = useCallback((listed: Task[]) => {
    for (const task of listed) {
      const known = confirmed.current.get(task.id);
      if (known && known.updated_at >= task.updated_at) continue;
      confirmed.current.set(task.id, task);
      if (known && changedSince(known, task)) etags.current.delete(task.id);
    }
  }, []);

  /** A listed task as it should show: an unanswered change here is newer than any list. */
  const shown = useCallback((task: Task, current: Map<string, UiTask>): UiTask => {
    if ((inflight.current.get(task.id) ?? 0) > 0) return current.get(task.id) ?? task;
    return confirmed.current.get(task.id) ?? task;
  }, []);

  const reload = useCallback(
    async (requested: ListQuery) => {
      loadController.current?.abort();
      const controller = new AbortController();
      loadController.current = controller;
      createdHere.current = new Set();
      setLoadingMore(false);
      // A first load (or a retry) shows the skeleton; a new filter or search keeps the old list until the answer.
      setLoad((current) => (current.status === "ready" ? current : { status: "loading" }));
      setRefreshing(true);
      const completed = requested.filter === "all" ? undefined : requested.filter === "completed";
      const result = await api.list({ completed, q: requested.q || undefined }, controller.signal);
      if (controller.signal.aborted) return;
      setRefreshing(false);
      if (!result.ok) {
        if (result.error.kind === "aborted" || result.error.kind === "session") return;
        setLoad({ status: "error", message: describeApiError(result.error) });
        return;
      }
      const page = result.data.tasks;
      const owed = readOwedDeletes();
      rememberListed(page);
      const hidden = new Set([...owed, ...(pendingRef.current ? [pendingRef.current.task.id] : [])]);
      setTasks((current) => {
        const byId = new Map(current.map((task) => [task.id, task]));
        let merged: UiTask[] = page.filter((task) => !hidden.has(task.id)).map((task) => shown(task, byId));
        const listed = new Set(merged.map((task) => task.id));
        for (const task of current) {
          if (listed.has(task.id) || hidden.has(task.id)) continue;
          const ours = task.pending || createdHere.current.has(task.id) || (inflight.current.get(task.id) ?? 0) > 0;
          if (ours && matchesFilter(requested.filter, task)) merged = insertByDate(merged, task);
        }
        return merged;
      });
      setNext(result.data.next);
      setLoaded(requested);
      setLoad({ status: "ready" });
      const isComplete = requested.filter === "all" && requested.q === "" && result.data.next === undefined;
      completeRef.current = isComplete;
      if (owed.length > 0) {
        // The page was left during an undo window: make sure those deletes happened (404 counts as done).
        writeOwedDeletes([]);
        await Promise.all(
          owed.map(async (id) => {
            const removed = await api.remove(id);
            if (removed.ok || removed.error.kind === "session") return;
            const task = page.find((t) => t.id === id);
            if (task) setTasks((current) => insertByDate(current, task));
            notify(`Couldn't delete ${task ? quote(task.title) : "a task"}. ${describeApiError(removed.error)}`);
          }),
        );
      }
      if (!isComplete) void refreshCounts();
    },
    [api, notify, rememberListed, shown, refreshCounts],
  );

  // The first load, and a new one whenever the filter or the search changes.
  const { filter, q } = query;
  useEffect(() => {
    void reload({ filter, q });
  }, [reload, filter, q]);
  const retry = useCallback(() => reload({ filter, q }), [reload, filter, q]);
  useEffect(() => () => loadController.current?.abort(), []);

  /** The next page (the `Link: rel="next"` of the last one); resolves to the tasks it added, and if more follow. */
  const loadMore = useCallback(async (): Promise<{ added: UiTask[]; more: boolean }> => {
    const controller = loadController.current;
    const none = { added: [], more: next !== undefined };
    if (!next || loadingMore || !controller) return none;
    setLoadingMore(true);
    const result = await api.listMore(next, controller.signal);
    if (controller.signal.aborted) return none;
    setLoadingMore(false);
    if (!result.ok) {
      if (result.error.kind !== "aborted" && result.error.kind !== "session") {
        notify(`Couldn't load more tasks. ${describeApiError(result.error)}`);
      }
      return none;
    }
    rememberListed(result.data.tasks);
    const hidden = pendingRef.current?.task.id;
    const byId = new Map(tasksRef.current.map((task) => [task.id, task]));
    // A task already here (created or restored meanwhile) is not shown twice.
    const added = result.data.tasks
      .filter((task) => !byId.has(task.id) && task.id !== hidden)
      .map((task) => shown(task, byId));
    setTasks((current) => {
      const here = new Set(current.map((task) => task.id));
      return [...current, ...added.filter((task) => !here.has(task.id))];
    });
    setNext(result.data.next);
    return { added, more: result.data.next !== undefined };
  }, [api, next, loadingMore, notify, rememberListed, shown]);

  /** Runs a task's write after the ones already queued for it. */
  const queueWrite = useCallback((taskId: string, write: () => Promise<void>): Promise<void> => {
    const previous = writeQueue.current.get(taskId) ?? Promise.resolve();
    inflight.current.set(taskId, (inflight.current.get(taskId) ?? 0) + 1);
    const done = previous
      .catch(() => undefined)
      .then(write)
      .finally(() => {
        const left = (inflight.current.get(taskId) ?? 1) - 1;
        if (left > 0) inflight.current.set(taskId, left);
        else inflight.current.delete(taskId);
        if (writeQueue.current.get(taskId) === done) writeQueue.current.delete(taskId);
      });
    writeQueue.current.set(taskId, done);
    return done;
  }, []);

  /**
   * The `If-Match` for a write. A task known only from the list has no ETag yet: it is read first (GET one gives
   * the ETag), and if it is no longer the version on screen, the write is not sent at all.
   */
  const precondition = useCallback(
    async (task: UiTask): Promise<Precondition> => {
      const known = etags.current.get(task.id);
      if (known !== undefined) return { kind: "send", etag: known };
      const current = await api.get(task.id);
      if (!current.ok) return { kind: "failed", error: current.error };
      const seen = confirmed.current.get(task.id) ?? task;
      if (changedSince(seen, current.data)) return { kind: "conflict", current: current.data, etag: current.etag };
      remember(current.data, current.etag);
      return { kind: "send", etag: current.etag };
    },
    [api, remember],
  );

  /** After a 412: the server's current version, or the failure of reading it. */
  const latestVersion = useCallback(
    async (taskId: string): Promise<Exclude<Precondition, { kind: "send" }>> => {
      const current = await api.get(taskId);
      if (!current.ok) return { kind: "failed", error: current.error };
      return { kind: "conflict", current: current.data, etag: current.etag };
    },
    [api],
  );

  /** Shows the server's version of a task that was changed elsewhere; queued writes based on ours are dropped. */
  const showLatest = useCallback(
    (latest: Task, etag: string | undefined, shownBefore: Pick<Task, "completed"> | undefined, message: string) => {
      conflicts.current.set(latest.id, (conflicts.current.get(latest.id) ?? 0) + 1);
      remember(latest, etag);
      setTasks((current) =>
        current.some((t) => t.id === latest.id)
          ? current.map((t) => (t.id === latest.id ? latest : t))
          : insertByDate(current, latest),
      );
      adjustCounts(shownBefore, latest);
      notify(message);
    },
    [adjustCounts, notify, remember],
  );

  /** The task is gone from the server: drop it (and its count). */
  const forget = useCallback(
    (task: Pick<Task, "id" | "completed">, counted: boolean) => {
      confirmed.current.delete(task.id);
      etags.current.delete(task.id);
      setTasks((current) => current.filter((t) => t.id !== task.id));
      if (counted) adjustCounts(task, undefined);
    },
    [adjustCounts],
  );

  /** Applies a change at once, then sends it; rolls back to the last confirmed state if refused. */
  const change = useCallback(
    async (task: UiTask, patch: TaskPatch, verb: string) => {
      if (task.pending) return;
      const changeId = ++changeCounter.current;
      latestChange.current.set(task.id, changeId);
      const isLatest = () => latestChange.current.get(task.id) === changeId;
      const optimistic = { ...task, ...patch };
      setTasks((current) => current.map((t) => (t.id === task.id ? { ...t, ...patch } : t)));
      adjustCounts(task, optimistic);
      const conflictsBefore = conflicts.current.get(task.id) ?? 0;
      const failed = (error: ApiError) => {
        if (error.kind === "session") return;
        if (error.status === 404) {
          forget(optimistic, true);
        } else if (isLatest()) {
          const last = confirmed.current.get(task.id);
          if (last) {
            setTasks((current) => current.map((t) => (t.id === task.id ? last : t)));
            adjustCounts(optimistic, last);
          }
        }
        notify(`Couldn't ${verb} ${quote(task.title)}. ${describeApiError(error)}`);
      };
      const conflict = (latest: Task, etag: string | undefined) =>
        showLatest(latest, etag, optimistic, `Couldn't ${verb} ${quote(task.title)}. ${CHANGED_ELSEWHERE}`);

      await queueWrite(task.id, async () => {
        // The task was replaced by the server's version since this change was made: it no longer applies.
        if ((conflicts.current.get(task.id) ?? 0) !== conflictsBefore) return;
        const before = await precondition(task);
        if (before.kind === "failed") return failed(before.error);
        if (before.kind === "conflict") return conflict(before.current, before.etag);
        const result = await api.patch(task.id, patch, before.etag);
        if (result.ok) {
          remember(result.data, result.etag);
          if (isLatest()) setTasks((current) => current.map((t) => (t.id === task.id ? result.data : t)));
          return;
        }
        if (result.error.status !== 412) return failed(result.error);
        const latest = await latestVersion(task.id);
        if (latest.kind === "conflict") return conflict(latest.current, latest.etag);
        return failed(latest.error);
      });
      scheduleCountsRefresh();
    },
    [
      api,
      adjustCounts,
      forget,
      latestVersion,
      notify,
      precondition,
      queueWrite,
      remember,
      scheduleCountsRefresh,
      showLatest,
    ],
  );

  const toggle = useCallback(
    (task: UiTask) => change(task, { completed: !task.completed }, task.completed ? "reopen" : "complete"),
    [change],
  );

  const edit = useCallback((task: UiTask, patch: TaskPatch) => change(task, patch, "save"), [change]);

  /** Adds the task at once; resolves false (after a notice) if the server refused it. */
  const create = useCallback(
    async (input: TaskCreate): Promise<boolean> => {
      const now = new Date().toISOString();
      const temporary: UiTask = {
        id: `pending-${++temporaryIds}`,
        title: input.title,
        description: input.description ?? null,
        completed: input.completed ?? false,
        created_at: now,
        updated_at: now,
        user_id: userId,
        version: 1,
        list_id: input.list_id ?? null,
        due_date: input.due_date ?? null,
        due_time: input.due_time ?? null,
        priority: input.priority ?? "none",
        position: "",
        tags: input.tags ?? [],
        pending: true,
      };
      setTasks((current) => [temporary, ...current]);
      adjustCounts(undefined, temporary);
      const result = await api.create(input);
      if (result.ok) {
        remember(result.data, result.etag);
        createdHere.current.add(result.data.id);
        setTasks((current) => current.map((t) => (t.id === temporary.id ? result.data : t)));
      } else {
        setTasks((current) => current.filter((t) => t.id !== temporary.id));
        adjustCounts(temporary, undefined);
        if (result.error.kind !== "session") {
          notify(`Couldn't add ${quote(input.title)}. ${describeApiError(result.error)}`);
        }
      }
      scheduleCountsRefresh();
      return result.ok;
    },
    [api, adjustCounts, notify, remember, scheduleCountsRefresh, userId],
  );

  const commitDelete = useCallback(
    async (pending: PendingDelete) => {
      clearTimeout(pending.timer);
      if (pendingRef.current === pending) {
        pendingRef.current = null;
        setPendingDelete(null);
      }
      const { task } = pending;
      const restore = (error: ApiError) => {
        if (error.kind === "session") return;
        const last = confirmed.current.get(task.id) ?? task;
        setTasks((current) => insertByDate(current, last));
        adjustCounts(undefined, last);
        notify(`Couldn't delete ${quote(task.title)}. ${describeApiError(error)}`);
      };
      const conflict = (latest: Task, etag: string | undefined) =>
        showLatest(latest, etag, undefined, `Couldn't delete ${quote(task.title)}. ${CHANGED_ELSEWHERE}`);

      await queueWrite(task.id, async () => {
        const before = await precondition(task);
        if (before.kind === "failed") {
          // Already gone is what we wanted.
          if (before.error.status === 404) return forget(task, false);
          return restore(before.error);
        }
        if (before.kind === "conflict") return conflict(before.current, before.etag);
        const result = await api.remove(task.id, before.etag);
        if (result.ok) return forget(task, false);
        if (result.error.status !== 412) return restore(result.error);
        const latest = await latestVersion(task.id);
        if (latest.kind === "conflict") return conflict(latest.current, latest.etag);
        if (latest.error.status === 404) return forget(task, false);
        return restore(latest.error);
      });
      scheduleCountsRefresh();
    },
    [api, adjustCounts, forget, latestVersion, notify, precondition, queueWrite, scheduleCountsRefresh, showLatest],
  );

  const startTimer = useCallback(
    (pending: PendingDelete) => {
      pending.deadline = Date.now() + pending.remaining;
      pending.timer = setTimeout(() => void commitDelete(pending), pending.remaining);
    },
    [commitDelete],
  );

  /** Hides the task now; the DELETE goes out when the undo window closes (or a newer delete replaces it). */
  const remove = useCallback(
    (task: UiTask) => {
      if (task.pending) return;
      const previous = pendingRef.current;
      if (previous) void commitDelete(previous);
      const pending: PendingDelete = { task, deadline: undefined, remaining: UNDO_MS, timer: undefined };
      pendingRef.current = pending;
      startTimer(pending);
      setPendingDelete(pending);
      setTasks((current) => current.filter((t) => t.id !== task.id));
      adjustCounts(task, undefined);
    },
    [adjustCounts, commitDelete, startTimer],
  );

  const undoDelete = useCallback(() => {
    const pending = pendingRef.current;
    if (!pending) return;
    clearTimeout(pending.timer);
    pendingRef.current = null;
    setPendingDelete(null);
    setTasks((current) => insertByDate(current, pending.task));
    adjustCounts(undefined, pending.task);
    return pending.task;
  }, [adjustCounts]);

  /** While the user is on the toast (keyboard focus), the undo window does not run out. */
  const pauseUndo = useCallback(() => {
    const pending = pendingRef.current;
    if (!pending || pending.deadline === undefined) return;
    clearTimeout(pending.timer);
    pending.remaining = Math.max(0, pending.deadline - Date.now());
    pending.deadline = undefined;
  }, []);

  const resumeUndo = useCallback(() => {
    const pending = pendingRef.current;
    if (!pending || pending.deadline !== undefined) return;
    pending.remaining = Math.max(pending.remaining, 1500);
    startTimer(pending);
  }, [startTimer]);

  /** Sends the owed DELETE now, and waits for it (before signing out). */
  const flushPendingDelete = useCallback(async () => {
    const pending = pendingRef.current;
    if (pending) await commitDelete(pending);
  }, [commitDelete]);

  // Leaving the page (reload, close, navigation) ends the undo window: send the DELETE in a request
  // that outlives the page, and remember it in case it does not arrive before the next load.
  useEffect(() => {
    const flush = () => {
      const pending = pendingRef.current;
      if (!pending) return;
      clearTimeout(pending.timer);
      pendingRef.current = null;
      writeOwedDeletes([...readOwedDeletes(), pending.task.id]);
      api.removeOnUnload(pending.task.id, etags.current.get(pending.task.id));
    };
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [api]);

  return {
    tasks,
    load,
    loaded,
    refreshing,
    reload: retry,
    hasMore: next !== undefined,
    loadingMore,
    loadMore,
    counts,
    notice,
    dismissNotice,
    notify,
    pendingDelete,
    create,
    toggle,
    edit,
    remove,
    undoDelete,
    pauseUndo,
    resumeUndo,
    flushPendingDelete,
  };
}
