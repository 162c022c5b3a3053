// Edits of the cached lists and counts: how a write shows before the server answers, and how it is undone.

import type { InfiniteData, Query, QueryClient } from "@tanstack/react-query";
import type { Task, TaskPage, TaskSummary } from "@/lib/client/tasks-api";
import { TASK_VIEWS, type TaskMove } from "@/lib/tasks/schema";
import { inView } from "@/lib/tasks/views";
import { nameKey } from "@/lib/text";
import { localTimeZone, wallClock } from "@/lib/time-zone";
import { type TaskView, taskKeys, type UiTask, viewAdmits } from "./task-keys";

type ListData = InfiniteData<TaskPage, string | null>;

function mapTasks(data: ListData, change: (tasks: UiTask[]) => UiTask[]): ListData {
  return { ...data, pages: data.pages.map((page) => ({ ...page, tasks: change(page.tasks) })) };
}

/** The task as a cached list holds it (the first one that does). */
export function findTask(client: QueryClient, userId: string, taskId: string): UiTask | undefined {
  for (const [, data] of client.getQueriesData<ListData>({ queryKey: taskKeys.lists(userId) })) {
    const task = data?.pages.flatMap((page) => page.tasks).find((t) => t.id === taskId);
    if (task) return task;
  }
  return undefined;
}

/** Changes the task in every cached list that holds it. */
export function updateTask(client: QueryClient, userId: string, taskId: string, change: (task: UiTask) => UiTask) {
  client.setQueriesData<ListData>({ queryKey: taskKeys.lists(userId) }, (data) =>
    data ? mapTasks(data, (tasks) => tasks.map((t) => (t.id === taskId ? change(t) : t))) : data,
  );
}

export function removeTask(client: QueryClient, userId: string, taskId: string) {
  client.setQueriesData<ListData>({ queryKey: taskKeys.lists(userId) }, (data) =>
    data ? mapTasks(data, (tasks) => tasks.filter((t) => t.id !== taskId)) : data,
  );
}

/** Newest first, as the API orders them: into the page where it belongs, or at the end of what is loaded. */
function insertByDate(data: ListData, task: UiTask): ListData {
  const pages = data.pages.map((page) => ({ ...page, tasks: page.tasks.filter((t) => t.id !== task.id) }));
  const at = pages.findIndex((page) => page.tasks.some((t) => t.created_at < task.created_at));
  const target = at === -1 ? pages.length - 1 : at;
  const page = pages[target];
  if (!page) return data;
  const index = page.tasks.findIndex((t) => t.created_at < task.created_at);
  const tasks = index === -1 ? [...page.tasks, task] : page.tasks.toSpliced(index, 0, task);
  return { ...data, pages: pages.with(target, { ...page, tasks }) };
}

/**
 * Puts the task into every cached list whose view it belongs to (replacing an older copy there), of those `into`
 * takes.
 */
export function insertTask(client: QueryClient, userId: string, task: UiTask, into = (_view: TaskView) => true) {
  for (const query of client.getQueryCache().findAll({ queryKey: taskKeys.lists(userId) })) {
    const view = query.queryKey[3] as TaskView;
    if (!into(view) || !viewAdmits(view, task, wallClock(localTimeZone()))) continue;
    client.setQueryData<ListData>(query.queryKey, (data) => (data ? insertByDate(data, task) : data));
  }
}

/**
 * Puts the task where a move sends it, in every cached list: next to its neighbour, or first; out of a list or the
 * Inbox it leaves. The server's answer then brings its new `position`.
 */
export function placeTask(client: QueryClient, userId: string, task: UiTask, move: TaskMove) {
  const moved = move.list_id === undefined ? task : { ...task, list_id: move.list_id };
  const neighbour = move.before ?? move.after;
  for (const query of client.getQueryCache().findAll({ queryKey: taskKeys.lists(userId) })) {
    const view = query.queryKey[3] as TaskView;
    client.setQueryData<ListData>(query.queryKey, (data) => {
      if (!data) return data;
      const pages = data.pages.map((page) => ({ ...page, tasks: page.tasks.filter((t) => t.id !== task.id) }));
      if (!viewAdmits(view, moved, wallClock(localTimeZone()))) return { ...data, pages };
      const at = pages.findIndex((page) => page.tasks.some((t) => t.id === neighbour));
      const page = pages[Math.max(at, 0)];
      if (!page) return data;
      const index = page.tasks.findIndex((t) => t.id === neighbour);
      const slot = index === -1 ? 0 : move.after === undefined ? index : index + 1;
      return { ...data, pages: pages.with(Math.max(at, 0), { ...page, tasks: page.tasks.toSpliced(slot, 0, moved) }) };
    });
  }
}

/** Moves the counts for a task going from `before` to `after` (undefined: not there). */
export function adjustCounts(
  client: QueryClient,
  userId: string,
  before: Pick<Task, "completed"> | undefined,
  after: Pick<Task, "completed"> | undefined,
) {
  const active = (after && !after.completed ? 1 : 0) - (before && !before.completed ? 1 : 0);
  const completed = (after?.completed ? 1 : 0) - (before?.completed ? 1 : 0);
  if (active === 0 && completed === 0) return;
  client.setQueryData<TaskSummary>(taskKeys.summary(userId), (summary) =>
    summary
      ? {
          ...summary,
          total: summary.total + active + completed,
          active: summary.active + active,
          completed: summary.completed + completed,
        }
      : summary,
  );
}

/** Reads of this user's data cut short by a write, to do again once the writes are answered. */
const interrupted = new WeakMap<QueryClient, Query[]>();

/**
 * To await before changing the cache ahead of the server: a read already under way (a refetch, or the first load
 * of a section the page is showing placeholders for) would answer from before the change and overwrite it, so it is
 * cancelled here and done again by `redoInterruptedReads`. "Load more" is left alone.
 */
export async function cancelRefetches(client: QueryClient, userId: string): Promise<void> {
  const reading = (query: Query) => query.state.fetchStatus === "fetching" && !query.state.fetchMeta?.fetchMore;
  const cut = client.getQueryCache().findAll({ queryKey: taskKeys.all(userId), predicate: reading });
  if (cut.length === 0) return;
  interrupted.set(client, [...(interrupted.get(client) ?? []), ...cut]);
  await client.cancelQueries({ queryKey: taskKeys.all(userId), predicate: (query) => cut.includes(query) });
}

/** Once the writes are answered: the reads they cut short, again. */
export function redoInterruptedReads(client: QueryClient) {
  const cut = interrupted.get(client) ?? [];
  interrupted.delete(client);
  for (const query of new Set(cut)) void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
}

/** The versions the server gave back to this page's own writes of the task (its creation included). */
function answeredVersions(client: QueryClient, userId: string, taskId: string): number[] {
  const cache = client.getMutationCache();
  const answers = [
    ...cache.findAll({ mutationKey: taskKeys.write(userId, taskId), status: "success" }),
    ...cache.findAll({ mutationKey: taskKeys.create(userId), status: "success" }),
  ].map((mutation) => mutation.state.data as Task | undefined);
  return answers.filter((task) => task?.id === taskId).map((task) => task?.version ?? 0);
}

/**
 * The version a change to `task` expects the server to hold (its `If-Match`): the one the user saw when making it, or
 * the answer to a write made here since (a queued write follows its predecessor; a task hidden for its undo window is
 * in no list). Not a newer version that arrived from elsewhere meanwhile: a change made to what the user saw must be
 * refused (412) if the task has changed since, not silently written over it.
 */
export function expectedVersion(client: QueryClient, userId: string, task: Task): number {
  return Math.max(task.version, ...answeredVersions(client, userId, task.id));
}

/** The newest version of the task this page holds: in a cached list, or from a write made here. */
export function knownVersion(client: QueryClient, userId: string, taskId: string): number {
  return Math.max(findTask(client, userId, taskId)?.version ?? 0, ...answeredVersions(client, userId, taskId));
}

/** The `If-Match` of the task's version (the ETag is the version in quotes). */
export const etagOf = (version: number) => `"${version}"`;

/** The task without what only this page knows. */
export function serverTask({ pending: _pending, confirmed: _confirmed, ...task }: UiTask): Task {
  return task;
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** The summary of these tasks, when they are all the user has: what `GET …/summary` would answer. */
export function summarize(tasks: Task[], tagIds: Map<string, string>, timeZone: string): TaskSummary {
  const now = wallClock(timeZone);
  const open = tasks.filter((task) => !task.completed);
  const lists: Record<string, number> = {};
  const tags: Record<string, number> = {};
  for (const task of open) {
    if (task.list_id) increment(lists, task.list_id);
    for (const tag of task.tags) {
      const id = tagIds.get(nameKey(tag));
      if (id) increment(tags, id);
    }
  }
  return {
    total: tasks.length,
    active: open.length,
    completed: tasks.length - open.length,
    inbox: open.filter((task) => task.list_id === null).length,
    views: Object.fromEntries(
      TASK_VIEWS.map((view) => [view, open.filter((task) => inView(view, task, now)).length]),
    ) as TaskSummary["views"],
    lists,
    tags,
  };
}
