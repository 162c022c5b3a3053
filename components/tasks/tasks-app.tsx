"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { Spinner } from "@/components/auth/spinner";
import { SiteHeader } from "@/components/site-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import { signOut } from "@/lib/client/auth-client";
import type { Filter } from "@/lib/client/filters";
import { AddTaskForm } from "./add-task-form";
import { describeApiError } from "./api-messages";
import { FilterBar } from "./filter-bar";
import { CircleCheckIcon, InboxIcon, SearchIcon, SparkleIcon, XIcon } from "./icons";
import { SearchField, useDebouncedSearch } from "./search-field";
import { TaskItem, taskDomId } from "./task-item";
import { matchesFilter as matches, type UiTask } from "./task-keys";
import { useTaskMutations } from "./task-mutations";
import { useTaskCounts, useTaskList } from "./task-queries";
import { UndoToast } from "./undo-toast";
import { useNotice } from "./use-notice";
import { UNDO_MS, useUndoDelete } from "./use-undo-delete";

const NEW_TASK_TITLE_ID = "new-task-title";

const EMPTY: Record<Filter, { title: string; body: string; icon: typeof InboxIcon }> = {
  all: { title: "No tasks yet", body: "Add your first one above. Press Enter and it's there.", icon: InboxIcon },
  active: { title: "Nothing active", body: "Everything is done. Enjoy the quiet.", icon: SparkleIcon },
  completed: {
    title: "Nothing completed",
    body: "Tick a task when it's done and it shows up here.",
    icon: CircleCheckIcon,
  },
};

const NO_MATCH_SCOPE: Record<Filter, string> = { all: "tasks", active: "active tasks", completed: "completed tasks" };

export function TasksApp({
  userId,
  userName,
  initialFilter,
}: {
  userId: string;
  userName: string;
  initialFilter: Filter;
}) {
  const [filter, setFilter] = useState<Filter>(initialFilter);
  const search = useDebouncedSearch();
  const { notice, notify, dismiss } = useNotice();
  const tasks = useTaskMutations(userId, notify);
  const [signingOut, setSigningOut] = useState(false);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const [moreStatus, setMoreStatus] = useState("");

  const undo = useUndoDelete({
    hide: tasks.hide,
    restore: (task) => {
      tasks.restore(task);
      setFocusTarget(matches(filter, task) ? taskDomId(task.id, "toggle") : NEW_TASK_TITLE_ID);
    },
    send: tasks.remove,
    sendOnLeave: tasks.removeOnLeave,
    sendOwed: tasks.removeOwed,
  });
  const list = useTaskList(userId, { filter, q: search.query }, { enabled: undo.owedSent });
  const hiddenId = undo.open?.task.id;
  // A page fetched during an undo window may still hold the task waiting for its DELETE.
  const shown = useMemo(() => list.tasks.filter((task) => task.id !== hiddenId), [list.tasks, hiddenId]);
  const counts = useTaskCounts(userId, {
    tasks: shown,
    ready: list.load.status === "ready",
    complete: list.complete,
    holdingDelete: undo.open !== null,
  });
  // The filter applies at once to the tasks on screen, and the server's answer for it follows.
  const visible = useMemo(() => shown.filter((task) => matches(filter, task)), [shown, filter]);

  // Move keyboard focus once the DOM has the element. Checked after every render: a task coming back or a new
  // page arrives a render or two after the change that asked for it, when the cache tells the list.
  useEffect(() => {
    if (!focusTarget) return;
    const element = document.getElementById(focusTarget);
    if (!element) return;
    element.focus();
    setFocusTarget(null);
  });

  /** Where focus goes when `task` leaves the visible list: the next task, the previous one, or the form. */
  function focusAfterLeaving(task: UiTask) {
    const index = visible.findIndex((t) => t.id === task.id);
    const neighbour = visible[index + 1] ?? visible[index - 1];
    setFocusTarget(neighbour ? taskDomId(neighbour.id, "toggle") : NEW_TASK_TITLE_ID);
  }

  function onToggle(task: UiTask) {
    if (filter !== "all") focusAfterLeaving(task);
    tasks.toggle(task);
  }

  function onDelete(task: UiTask) {
    focusAfterLeaving(task);
    undo.start(task);
  }

  const changeFilter = (next: Filter) => {
    setFilter(next);
    // Keep the choice in the address, so reloading or sharing the page keeps it (without a navigation).
    window.history.replaceState(window.history.state, "", next === "all" ? "/tasks" : `/tasks?filter=${next}`);
  };

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
    const first = added.find((task) => matches(filter, task));
    if (!more && first) setFocusTarget(taskDomId(first.id, "toggle"));
  }

  async function onSignOut() {
    setSigningOut(true);
    await undo.flush();
    const result = await signOut();
    if (!result.ok) {
      setSigningOut(false);
      notify(`Couldn't sign you out. ${result.error.message}`);
      return;
    }
    window.location.assign("/sign-in");
  }

  // Shown only once the answer for this search is on screen (while it loads, the skeleton or the last list is).
  const searched = search.query;
  const empty = searched
    ? {
        title: `No ${NO_MATCH_SCOPE[filter]} match “${searched}”`,
        body: "Check the spelling, or clear the search.",
        icon: SearchIcon,
      }
    : EMPTY[filter];
  const EmptyIcon = empty.icon;
  const ready = list.load.status === "ready";

  return (
    <>
      <SiteHeader>
        <div className="flex min-w-0 items-center gap-3">
          <span className="hidden max-w-56 truncate text-sm text-zinc-600 sm:inline dark:text-zinc-400">
            {userName}
          </span>
          <Button variant="secondary" size="sm" onClick={onSignOut} disabled={signingOut}>
            Sign out
          </Button>
        </div>
      </SiteHeader>

      <main id="main" className="mx-auto w-full max-w-3xl px-4 pt-8 pb-32 sm:px-6 sm:pt-12">
        <h1 className="text-3xl font-semibold tracking-tight">Tasks</h1>
        <p className="mt-1 h-5 text-sm text-zinc-600 dark:text-zinc-400">
          {ready && counts
            ? counts.all === 0
              ? "A clean slate."
              : `${counts.active} to do · ${counts.completed} done`
            : null}
        </p>

        <div className="mt-6">
          <AddTaskForm onAdd={tasks.create} titleRef={titleInput} />
        </div>

        <section aria-labelledby="task-list-heading" aria-busy={!ready || list.refreshing} className="mt-8">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="task-list-heading" className="text-lg font-semibold tracking-tight">
              Your list
            </h2>
            <FilterBar value={filter} counts={ready ? counts : undefined} onChange={changeFilter} />
          </div>

          <SearchField search={search} className="mt-4" />

          {notice ? (
            <Alert
              key={notice.id}
              role="alert"
              className="mt-4"
              action={
                <Button variant="ghost" size="sm" onClick={dismiss} className="-my-1">
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
                {[0, 1, 2].map((row) => (
                  <div key={row} className="flex items-center gap-3 px-4 py-3 sm:px-5">
                    <Skeleton className="size-6 rounded-full" />
                    <Skeleton className={row === 1 ? "h-4 w-1/3 rounded-md" : "h-4 w-1/2 rounded-md"} />
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
                    <TaskItem key={task.id} task={task} onToggle={onToggle} onSave={tasks.edit} onDelete={onDelete} />
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
      </main>

      <UndoToast
        pending={undo.open}
        durationMs={UNDO_MS}
        onUndo={undo.undo}
        onPause={undo.pause}
        onResume={undo.resume}
      />
    </>
  );
}

const listFrame =
  "divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900";
