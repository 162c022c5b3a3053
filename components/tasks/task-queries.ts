"use client";

import { keepPreviousData, useInfiniteQuery, useIsMutating, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { Filter } from "@/lib/client/filters";
import { withNext } from "@/lib/client/next-path";
import { type Section, sameSection } from "@/lib/client/sections";
import {
  type ApiFailure,
  createTasksApi,
  type TaskPage,
  type TaskSummary,
  type TasksApi,
  unwrap,
} from "@/lib/client/tasks-api";
import { localTimeZone } from "@/lib/time-zone";
import { redoInterruptedReads, summarize } from "./task-cache";
import { type TaskView, taskKeys, type UiTask } from "./task-keys";

/** How long after the last write settles the counts are asked for again (one request for a burst of changes). */
const COUNTS_REFRESH_MS = 300;

export type Counts = Record<Filter, number>;

/**
 * The first page of one section and filter (no search), read by the server page for the signed-in user as the API
 * answers it, with the time zone it rendered the page in.
 */
export interface ServerPage {
  section: Section;
  filter: Filter;
  page: TaskPage;
  timeZone: string;
  /** The change feed's position, read before the page: live updates follow from there, so none falls in between. */
  changesSince: string;
}

/** Server pages already taken into the cache: coming back to their view later reads it afresh. */
const seeded = new WeakSet<ServerPage>();

type LoadState = { status: "loading" } | { status: "ready" } | { status: "error"; error: ApiFailure };

/** An ended session goes to sign-in (and back here afterwards). */
export const signInAgain = () => window.location.assign(withNext("/sign-in", "/tasks"));

/** The user's API client. */
export function useTasksApi(userId: string): TasksApi {
  return useMemo(() => createTasksApi(userId, { onSessionEnded: signInAgain }), [userId]);
}

/**
 * One view of the list, a page at a time (newest first; "Load more" follows `Link: rel="next"`). While another
 * view loads, the last one stays on screen, marked as refreshing. A view left behind is dropped from the cache, so
 * coming back to it starts again at its first page, as a fresh visit would.
 */
export function useTaskList(
  userId: string,
  view: TaskView,
  { enabled, serverPage }: { enabled: boolean; serverPage?: ServerPage },
) {
  const client = useQueryClient();
  const api = useTasksApi(userId);
  const key = taskKeys.list(userId, view);
  const seed =
    serverPage &&
    !seeded.has(serverPage) &&
    view.q === "" &&
    view.filter === serverPage.filter &&
    sameSection(view.section, serverPage.section)
      ? serverPage
      : undefined;
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        pageParam === null
          ? api.list(
              {
                completed: view.filter === "all" ? undefined : view.filter === "completed",
                q: view.q || undefined,
                section: view.section,
                // Read when asked, not from the render: the first render is the server's, in the account's zone.
                timeZone: localTimeZone(),
              },
              signal,
            )
          : api.listMore(pageParam, signal),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next,
    // The server's first page, as if the API had just answered; stale at once, so the browser reads it again.
    initialData: seed ? { pages: [seed.page], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
    gcTime: 0,
    enabled,
  });
  useEffect(() => {
    if (serverPage) seeded.add(serverPage);
  }, [serverPage]);
  const { data, error, isFetching, isPlaceholderData, fetchNextPage } = query;

  const tasks = useMemo(() => {
    // A task created or brought back here may also arrive in a later page: it is shown once.
    const byId = new Map<string, UiTask>();
    for (const task of (data?.pages ?? []).flatMap((page) => page.tasks))
      if (!byId.has(task.id)) byId.set(task.id, task);
    return [...byId.values()];
  }, [data]);

  // Until the browser's own read has answered, the server's page stands in for it; if that read fails, the page
  // says so (and offers Retry) exactly as it does when there is no server page.
  const unconfirmed = !isPlaceholderData && (client.getQueryState(key)?.dataUpdateCount ?? 0) === 0;
  const doubted = unconfirmed && query.errorUpdateCount > 0;
  const load: LoadState =
    data !== undefined && !doubted
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
    /** The browser has read the list itself (the server's page alone is not yet confirmed). */
    confirmed: !unconfirmed,
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
    queryFn: ({ signal }) => unwrap(api.summary(localTimeZone(), signal)),
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
