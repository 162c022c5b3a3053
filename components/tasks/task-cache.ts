// Edits of the cached lists and counts: how a write shows before the server answers, and how it is undone.

import type { InfiniteData, Query, QueryClient } from "@tanstack/react-query";
import type { Task, TaskPage, TaskSummary } from "@/lib/client/tasks-api";
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

/** Puts the task into every cached list whose view it belongs to (replacing an older copy there). */
export function insertTask(client: QueryClient, userId: string, task: UiTask) {
  for (const query of client.getQueryCache().findAll({ queryKey: taskKeys.lists(userId) })) {
    const view = query.queryKey[3] as TaskView;
    if (!viewAdmits(view, task)) continue;
    client.setQueryData<ListData>(query.queryKey, (data) => (data ? insertByDate(data, task) : data));
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
          total: summary.total + active + completed,
          active: summary.active + active,
          completed: summary.completed + completed,
        }
      : summary,
  );
}

/** A refetch already under way would answer from before the change and overwrite it; "Load more" is left alone. */
const isRefetch = (query: Query) => query.state.data !== undefined && !query.state.fetchMeta?.fetchMore;

/** To await before changing the cache ahead of the server. */
export function cancelRefetches(client: QueryClient, userId: string): Promise<void> {
  return client.cancelQueries({ queryKey: taskKeys.all(userId), predicate: isRefetch });
}

/**
 * The newest version of a task that this page knows: from a cached list, or from the answer to a write made here
 * (a task hidden for its undo window is in no list, and its pending edit may have been answered since).
 */
export function latestVersion(client: QueryClient, userId: string, task: Task): number {
  const answered = client
    .getMutationCache()
    .findAll({ mutationKey: taskKeys.write(userId, task.id), status: "success" })
    .map((mutation) => (mutation.state.data as Task | undefined)?.version ?? 0);
  return Math.max(task.version, findTask(client, userId, task.id)?.version ?? 0, ...answered);
}

/** The `If-Match` of the task's version (the ETag is the version in quotes). */
export const etagOf = (version: number) => `"${version}"`;

/** The task without what only this page knows. */
export function serverTask({ pending: _pending, confirmed: _confirmed, ...task }: UiTask): Task {
  return task;
}
