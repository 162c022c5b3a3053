"use client";

import { type ReactNode, useState, useSyncExternalStore } from "react";
import { Spinner } from "@/components/auth/spinner";
import { CalendarIcon } from "@/components/organise/icons";
import { TaskMeta } from "@/components/organise/task-meta";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import type { Filter } from "@/lib/client/filters";
import { type Section, sectionHref } from "@/lib/client/sections";
import type { TaskPatch } from "@/lib/tasks/schema";
import { describeApiError } from "./api-messages";
import { FilterBar } from "./filter-bar";
import { CircleCheckIcon, InboxIcon, SearchIcon, SparkleIcon, XIcon } from "./icons";
import { type DebouncedSearch, SearchField } from "./search-field";
import { SortableTaskItem } from "./task-dnd";
import type { UiTask } from "./task-keys";
import type { Counts, useTaskList } from "./task-queries";
import type { Notice } from "./use-notice";

const noUpdates = () => () => {};
const browserLocale = () => navigator.language;
const serverLocale = () => "en";

type Empty = { title: string; body: string; icon: typeof InboxIcon };

const EMPTY: Record<Filter, Empty> = {
  all: { title: "No tasks yet", body: "Add your first one above. Press Enter and it's there.", icon: InboxIcon },
  active: { title: "Nothing active", body: "Everything is done. Enjoy the quiet.", icon: SparkleIcon },
  completed: {
    title: "Nothing completed",
    body: "Tick a task when it's done and it shows up here.",
    icon: CircleCheckIcon,
  },
};

/** An empty section says what belongs there, when no filter narrows it. */
const EMPTY_SECTION: Partial<Record<Section["kind"], Empty>> = {
  today: { title: "Nothing due today", body: "Enjoy the day, or plan one: add a task above.", icon: SparkleIcon },
  upcoming: { title: "Nothing in the next 7 days", body: "Tasks due this week show up here.", icon: CalendarIcon },
  inbox: { title: "Inbox zero", body: "Tasks without a list land here.", icon: InboxIcon },
  list: { title: "This list is empty", body: "Add a task above, or drag one onto the list.", icon: InboxIcon },
  tag: { title: "No task has this tag", body: "Add one above: it gets the tag.", icon: InboxIcon },
};

const NO_MATCH_SCOPE: Record<Filter, string> = { all: "tasks", active: "active tasks", completed: "completed tasks" };

type RowActions = {
  onToggle: (task: UiTask) => void;
  onSave: (task: UiTask, patch: TaskPatch) => void;
  onDelete: (task: UiTask) => void;
  onDetails: (task: UiTask) => void;
  /** The user's wall clock, for due dates in words. */
  today: string;
  now: string;
};

/** The section's heading and counts, the add form, the filters and search, and the list itself, page by page. */
export function TaskListPanel({
  heading,
  section,
  filter,
  onFilter,
  search,
  counts,
  list,
  visible,
  notice,
  onDismissNotice,
  notify,
  onLoaded,
  addForm,
  row,
}: {
  heading: string;
  section: Section;
  filter: Filter;
  onFilter: (filter: Filter) => void;
  search: DebouncedSearch;
  counts: Counts | undefined;
  list: ReturnType<typeof useTaskList>;
  visible: UiTask[];
  notice: Notice | null;
  onDismissNotice: () => void;
  notify: (message: string) => void;
  /** The first task of the last page "Load more" brought, when no more follow: focus goes there. */
  onLoaded: (first: UiTask) => void;
  addForm: ReactNode;
  row: RowActions;
}) {
  const [moreStatus, setMoreStatus] = useState("");
  const ready = list.load.status === "ready";
  // The browser's language; while the server's HTML is hydrated, the one it was rendered in.
  const locale = useSyncExternalStore(noUpdates, browserLocale, serverLocale);

  async function onLoadMore() {
    if (list.loadingMore) return;
    const result = await list.loadMore();
    if ("error" in result) {
      const { apiError } = result.error;
      if (apiError.kind !== "aborted" && apiError.kind !== "session") {
        notify(`Couldn't load more tasks. ${describeApiError(apiError)}`);
      }
      return;
    }
    const { added, more } = result;
    if (added.length === 0) return;
    setMoreStatus(`${added.length} more ${added.length === 1 ? "task" : "tasks"} loaded.`);
    // The button stays where it was (the new tasks appear above it); when it goes, focus moves to the first new task.
    const first = added.find((task) => visible.some((shown) => shown.id === task.id)) ?? added[0];
    if (!more && first) onLoaded(first);
  }

  // Shown only once the answer for this search is on screen (while it loads, the skeleton or the last list is).
  const searched = search.query;
  const empty: Empty = searched
    ? {
        title: `No ${NO_MATCH_SCOPE[filter]} match “${searched}”`,
        body: "Check the spelling, or clear the search.",
        icon: SearchIcon,
      }
    : ((filter === "all" ? EMPTY_SECTION[section.kind] : undefined) ?? EMPTY[filter]);
  const EmptyIcon = empty.icon;

  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-3xl font-semibold tracking-tight break-words [overflow-wrap:anywhere]">{heading}</h1>
      <p className="mt-1 h-5 text-sm text-zinc-600 dark:text-zinc-400">
        {ready && counts
          ? counts.all === 0
            ? "A clean slate."
            : `${counts.active} to do · ${counts.completed} done`
          : null}
      </p>

      <div className="mt-6">{addForm}</div>

      <section aria-labelledby="task-list-heading" aria-busy={!ready || list.refreshing} className="mt-8">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="task-list-heading" className="text-lg font-semibold tracking-tight">
            Your list
          </h2>
          <FilterBar value={filter} counts={ready ? counts : undefined} onChange={onFilter} />
        </div>

        <SearchField search={search} className="mt-4" />

        {notice ? (
          <Alert
            key={notice.id}
            role="alert"
            className="mt-4"
            action={
              <Button variant="ghost" size="sm" onClick={onDismissNotice} className="-my-1">
                <XIcon />
                Dismiss
              </Button>
            }
          >
            {notice.message}
          </Alert>
        ) : null}

        <div className="mt-4 min-h-[9.5rem]">
          {list.load.status === "loading" || (list.refreshing && visible.length === 0) ? (
            <div aria-busy="true" aria-label="Loading tasks" role="status" className={listFrame}>
              {[0, 1, 2].map((skeleton) => (
                <div key={skeleton} className="flex items-center gap-3 px-4 py-3 sm:px-5">
                  <Skeleton className="size-6 rounded-full" />
                  <Skeleton className={skeleton === 1 ? "h-4 w-1/3 rounded-md" : "h-4 w-1/2 rounded-md"} />
                </div>
              ))}
            </div>
          ) : list.load.status === "error" ? (
            <Alert
              role="alert"
              title="Couldn't load your tasks"
              action={
                <Button variant="secondary" size="sm" onClick={list.retry}>
                  Retry
                </Button>
              }
            >
              {describeApiError(list.load.error.apiError)}
            </Alert>
          ) : visible.length === 0 ? (
            <div className="flex min-h-[9.5rem] flex-col items-center justify-center rounded-xl border border-dashed border-zinc-300 px-6 py-8 text-center dark:border-zinc-700">
              <EmptyIcon className="size-7 text-zinc-500 dark:text-zinc-400" />
              <p className="mt-2 font-medium break-words [overflow-wrap:anywhere]">{empty.title}</p>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{empty.body}</p>
            </div>
          ) : (
            <>
              <ul
                aria-labelledby="task-list-heading"
                className={cn(listFrame, "transition-opacity", list.refreshing && "opacity-60")}
              >
                {visible.map((task) => (
                  <SortableTaskItem
                    key={task.id}
                    task={task}
                    onToggle={row.onToggle}
                    onSave={row.onSave}
                    onDelete={row.onDelete}
                    onDetails={row.onDetails}
                    meta={
                      <TaskMeta
                        task={task}
                        today={row.today}
                        now={row.now}
                        locale={locale}
                        tagHref={(name) => sectionHref({ kind: "tag", name })}
                        className="mt-1"
                      />
                    }
                  />
                ))}
              </ul>
              {list.hasMore ? (
                <div className="mt-4 flex justify-center">
                  <Button
                    variant="secondary"
                    onClick={() => void onLoadMore()}
                    aria-disabled={list.loadingMore || undefined}
                    aria-describedby="task-list-heading"
                    className="w-full sm:w-auto"
                  >
                    {list.loadingMore ? <Spinner /> : null}
                    Load more
                  </Button>
                </div>
              ) : null}
            </>
          )}
        </div>
        <p role="status" className="sr-only">
          {moreStatus}
        </p>
      </section>
    </div>
  );
}

const listFrame =
  "divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900";
