"use client";

import { keepPreviousData, useInfiniteQuery, useIsMutating, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { Filter } from "@/lib/client/filters";
import { withNext } from "@/lib/client/next-path";
import { type ApiFailure, createTasksApi, type TaskSummary, type TasksApi, unwrap } from "@/lib/client/tasks-api";
import { redoInterruptedReads, summarize } from "./task-cache";
import { type TaskView, taskKeys, type UiTask } from "./task-keys";

/** How long after the last write settles the counts are asked for again (one request for a burst of changes). */
const COUNTS_REFRESH_MS = 300;

export type Counts = Record<Filter, number>;

type LoadState = { status: "loading" } | { status: "ready" } | { status: "error"; error: ApiFailure };

/** The user's API client; an ended session goes to sign-in (and back here afterwards). */
export function useTasksApi(userId: string): TasksApi {
  return useMemo(
    () => createTasksApi(userId, { onSessionEnded: () => window.location.assign(withNext("/sign-in", "/tasks")) }),
    [userId],
  );
}

/**
 * One view of the list, a page at a time (newest first; "Load more" follows `Link: rel="next"`). While another
 * view loads, the last one stays on screen, marked as refreshing. A view left behind is dropped from the cache, so
 * coming back to it starts again at its first page, as a fresh visit would.
 */
export function useTaskList(
  userId: string,
  view: TaskView,
  { enabled, timeZone }: { enabled: boolean; timeZone: string },
) {
  const api = useTasksApi(userId);
  const query = useInfiniteQuery({
    queryKey: taskKeys.list(userId, view),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        pageParam === null
          ? api.list(
              {
                completed: view.filter === "all" ? undefined : view.filter === "completed",
                q: view.q || undefined,
                section: view.section,
                timeZone,
              },
              signal,
            )
          : api.listMore(pageParam, signal),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next,
    placeholderData: keepPreviousData,
    gcTime: 0,
    enabled,
  });
  const { data, error, isFetching, isPlaceholderData, fetchNextPage } = query;

  const tasks = useMemo(() => {
    // A task created or brought back here may also arrive in a later page: it is shown once.
    const byId = new Map<string, UiTask>();
    for (const task of (data?.pages ?? []).flatMap((page) => page.tasks))
      if (!byId.has(task.id)) byId.set(task.id, task);
    return [...byId.values()];
  }, [data]);

  const load: LoadState =
    data !== undefined
      ? { status: "ready" }
      : error && !isFetching
        ? { status: "error", error: error as ApiFailure }
        : { status: "loading" };
  const hasMore = query.hasNextPage && !isPlaceholderData;

  /** The next page; resolves to the tasks it added and whether more follow, or to why it failed. */
  async function loadMore(): Promise<{ added: UiTask[]; more: boolean } | { error: ApiFailure }> {
    const shown = new Set(tasks.map((task) => task.id));
    const result = await fetchNextPage();
    if (result.isError) return { error: result.error as ApiFailure };
    const added = (result.data?.pages.at(-1)?.tasks ?? []).filter((task) => !shown.has(task.id));
    return { added, more: result.hasNextPage };
  }

  return {
    tasks,
    load,
    refreshing: isPlaceholderData,
    /** The list is all of its section (no filter, no search, no further page): it counts itself exactly. */
    complete: load.status === "ready" && !isPlaceholderData && view.filter === "all" && view.q === "" && !hasMore,
    retry: () => void query.refetch(),
    hasMore,
    loadingMore: query.isFetchingNextPage,
    loadMore,
  };
}

export const countsOf = (tasks: Pick<UiTask, "completed">[]): Counts => {
  const done = tasks.filter((task) => task.completed).length;
  return { all: tasks.length, active: tasks.length - done, completed: done };
};

/**
 * The counts of the sidebar and the filter buttons: when the list on screen is every task the user has, its own
 * (exact, and no request); else `GET …/summary`. Writes move them at once (task-cache.ts); they are asked for again
 * once the writes settle. While a delete waits out its undo window the server still counts that task, so the
 * summary is not asked for then.
 */
export function useTaskSummary(
  userId: string,
  {
    tasks,
    tagIds,
    ready,
    everything,
    holdingDelete,
    timeZone,
  }: {
    tasks: UiTask[];
    /** Tag id by folded name, to count the tags of tasks that carry only their names. */
    tagIds: Map<string, string>;
    ready: boolean;
    everything: boolean;
    holdingDelete: boolean;
    timeZone: string;
  },
): TaskSummary | undefined {
  const client = useQueryClient();
  const api = useTasksApi(userId);
  const summary = useQuery({
    queryKey: taskKeys.summary(userId),
    queryFn: ({ signal }) => unwrap(api.summary(timeZone, signal)),
    enabled: ready && !everything && !holdingDelete,
  });
  const own = useMemo(() => summarize(tasks, tagIds, timeZone), [tasks, tagIds, timeZone]);

  // Counted from a list of everything, they are exact: the summary to start from when the list stops being so.
  useEffect(() => {
    if (everything) client.setQueryData<TaskSummary>(taskKeys.summary(userId), own);
  }, [client, userId, everything, own]);

  useCountsRefresh(userId);
  return everything ? own : summary.data;
}

/**
 * Reads the counts and the tags again, and the reads the writes cut short, `COUNTS_REFRESH_MS` after the last write
 * settled.
 */
function useCountsRefresh(userId: string) {
  const client = useQueryClient();
  const writing = useIsMutating({ mutationKey: taskKeys.all(userId) }) > 0;
  const [due, setDue] = useState(false);
  if (writing && !due) setDue(true);
  useEffect(() => {
    if (writing || !due) return;
    const timer = setTimeout(() => {
      setDue(false);
      redoInterruptedReads(client);
      void client.invalidateQueries({ queryKey: taskKeys.summary(userId) });
      // A task written with a new tag name made that tag.
      void client.invalidateQueries({ queryKey: taskKeys.tags(userId) });
    }, COUNTS_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [client, userId, writing, due]);
}
