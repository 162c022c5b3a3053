"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, useSyncExternalStore } from "react";
import { useLists, useOrganiseMutations, useTags, useTimeZoneSetting } from "@/components/organise/organise-queries";
import { ShortcutsHelp, useShortcuts } from "@/components/organise/shortcuts";
import { SidebarColumn, SidebarDrawerButton, type SidebarProps } from "@/components/organise/sidebar";
import type { DropTarget } from "@/components/organise/sidebar-entry";
import { TaskDetails } from "@/components/organise/task-details";
import { SiteHeader } from "@/components/site-header";
import { Button } from "@/components/ui/button";
import { signOut } from "@/lib/client/auth-client";
import type { Filter } from "@/lib/client/filters";
import { isOrdered, type Section, sectionHref } from "@/lib/client/sections";
import type { TaskCreate } from "@/lib/tasks/schema";
import { nameKey } from "@/lib/text";
import { localTimeZone, wallClock } from "@/lib/time-zone";
import { AddTaskForm } from "./add-task-form";
import { LiveStatus } from "./live-status";
import { useDebouncedSearch } from "./search-field";
import { DropZone, TaskDnd } from "./task-dnd";
import { taskDomId } from "./task-item";
import { type TaskView, type UiTask, viewAdmits } from "./task-keys";
import { TaskListPanel } from "./task-list-panel";
import { useTaskMutations } from "./task-mutations";
import { type Counts, countsOf, type ServerPage, useTaskList, useTaskSummary } from "./task-queries";
import { UndoToast } from "./undo-toast";
import { useFocusTarget } from "./use-focus-target";
import { useHydrated } from "./use-hydrated";
import { useLiveSync } from "./use-live-sync";
import { useNotice } from "./use-notice";
import { UNDO_MS, useUndoDelete } from "./use-undo-delete";

const NEW_TASK_TITLE_ID = "new-task-title";

const noUpdates = () => () => {};

/** What a task added here takes from where it is added: the list, today's date in Today, the tag. */
function sectionDefaults(section: Section, today: string): Partial<TaskCreate> {
  switch (section.kind) {
    case "list":
      return { list_id: section.id };
    case "today":
    case "upcoming":
      return { due_date: today };
    case "tag":
      return { tags: [section.name] };
    default:
      return {};
  }
}

export function TasksApp({
  userId,
  userName,
  initialFilter,
  section,
  initial,
}: {
  userId: string;
  userName: string;
  initialFilter: Filter;
  section: Section;
  /** The section's first page, read by the server page. */
  initial?: ServerPage;
}) {
  const router = useRouter();
  // The browser's zone; while the server's HTML is hydrated, the one the server rendered it in (the account's).
  const timeZone = useSyncExternalStore(noUpdates, localTimeZone, () => initial?.timeZone ?? "UTC");
  // Until the scripts have run the page is only to be read: its controls are disabled (no click or Enter is lost).
  const hydrated = useHydrated();
  const [filter, setFilter] = useState<Filter>(initialFilter);
  const search = useDebouncedSearch();
  const { notice, notify, dismiss } = useNotice();
  const tasks = useTaskMutations(userId, notify);
  const organise = useOrganiseMutations(userId);
  const lists = useLists(userId).data ?? [];
  const { tags, ids: tagIds } = useTags(userId);
  useTimeZoneSetting(userId, timeZone);
  const [signingOut, setSigningOut] = useState(false);
  const live = useLiveSync(userId, { since: initial?.changesSince, enabled: !signingOut });
  const [details, setDetails] = useState<UiTask | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const titleInput = useRef<HTMLInputElement>(null);
  const focus = useFocusTarget();
  const clock = wallClock(timeZone);
  const view: TaskView = { section, filter, q: search.query };

  const undo = useUndoDelete({
    hide: tasks.hide,
    restore: (task) => {
      tasks.restore(task);
      focus.set(viewAdmits(view, task, clock) ? taskDomId(task.id, "toggle") : NEW_TASK_TITLE_ID);
    },
    send: tasks.remove,
    sendOnLeave: tasks.removeOnLeave,
    sendOwed: tasks.removeOwed,
  });
  const list = useTaskList(userId, view, { enabled: undo.owedSent, serverPage: initial });
  const hiddenId = undo.open?.task.id;
  // A page fetched during an undo window may still hold the task waiting for its DELETE.
  const shown = useMemo(() => list.tasks.filter((task) => task.id !== hiddenId), [list.tasks, hiddenId]);
  const ready = list.load.status === "ready";
  const summary = useTaskSummary(userId, {
    tasks: shown,
    tagIds,
    ready,
    everything: section.kind === "all" && list.complete,
    holdingDelete: undo.open !== null,
    timeZone,
  });
  // The filter and the section apply at once to the tasks on screen, and the server's answer for them follows.
  const visible = shown.filter((task) => viewAdmits(view, task, clock));
  // A whole section counts itself (what left it, such as a task completed in Today, no longer counts).
  // Shown once the browser has read the list itself: the counts say the page is up to date and working.
  const counts: Counts | undefined = !list.confirmed
    ? undefined
    : list.complete
      ? countsOf(section.kind === "all" ? shown : visible)
      : section.kind === "all" && summary
        ? { all: summary.total, active: summary.active, completed: summary.completed }
        : undefined;

  /** Where focus goes when `task` leaves the visible list: the next task, the previous one, or the form. */
  function focusAfterLeaving(task: UiTask) {
    const index = visible.findIndex((t) => t.id === task.id);
    const neighbour = visible[index + 1] ?? visible[index - 1];
    focus.set(neighbour ? taskDomId(neighbour.id, "toggle") : NEW_TASK_TITLE_ID);
  }

  const actions = {
    toggle: (task: UiTask) => {
      if (filter !== "all" || section.kind === "today" || section.kind === "upcoming") focusAfterLeaving(task);
      tasks.toggle(task);
    },
    remove: (task: UiTask) => {
      focusAfterLeaving(task);
      undo.start(task);
    },
    drop: (task: UiTask, target: DropTarget) => {
      if (target.kind === "list") {
        if (task.list_id !== target.listId) tasks.move(task, { list_id: target.listId });
      } else if (!task.tags.some((tag) => nameKey(tag) === nameKey(target.name))) {
        tasks.edit(task, { tags: [...task.tags, target.name] });
      }
    },
  };

  const changeFilter = (next: Filter) => {
    setFilter(next);
    // Keep the choice in the address, so reloading or sharing the page keeps it (without a navigation).
    window.history.replaceState(window.history.state, "", sectionHref(section, next));
  };

  /** The task whose row holds the keyboard focus, for the shortcuts that act on "the task". */
  const focusedTask = () => {
    const id = document.activeElement?.closest("[data-task-id]")?.getAttribute("data-task-id");
    return visible.find((task) => task.id === id);
  };
  const step = (by: number) => {
    const current = focusedTask();
    const index = current ? visible.indexOf(current) + by : by > 0 ? 0 : visible.length - 1;
    const next = visible[Math.min(Math.max(index, 0), visible.length - 1)];
    if (next) document.getElementById(taskDomId(next.id, "toggle"))?.focus();
  };
  const go = (to: Section) => router.push(sectionHref(to, filter));
  const onFocused = (act: (task: UiTask) => void) => () => {
    const task = focusedTask();
    if (task) act(task);
  };
  useShortcuts({
    q: () => titleInput.current?.focus(),
    "/": () => document.getElementById("task-search")?.focus(),
    j: () => step(1),
    k: () => step(-1),
    x: onFocused(actions.toggle),
    e: onFocused(setDetails),
    Enter: onFocused(setDetails),
    Delete: onFocused(actions.remove),
    "g i": () => go({ kind: "inbox" }),
    "g t": () => go({ kind: "today" }),
    "g u": () => go({ kind: "upcoming" }),
    "g a": () => go({ kind: "all" }),
    "?": () => setHelpOpen(true),
  });

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

  const sidebar: SidebarProps = {
    lists,
    tags,
    summary,
    current: section,
    hrefFor: (to) => sectionHref(to),
    onCreateList: organise.createList,
    onRenameList: organise.renameList,
    onDeleteList: organise.deleteList,
    onRenameTag: organise.renameTag,
    onDeleteTag: organise.deleteTag,
    droppable: (target, row) => (
      <DropZone
        target={target}
        name={
          target.kind === "tag"
            ? `the tag ${target.name}`
            : (lists.find((list) => list.id === target.listId)?.name ?? "the Inbox")
        }
      >
        {row}
      </DropZone>
    ),
  };

  return (
    <TaskDnd
      tasks={visible}
      ordered={isOrdered(section) && filter === "all" && search.query === ""}
      onReorder={tasks.move}
      onDrop={actions.drop}
    >
      <fieldset disabled={!hydrated} className="contents">
        <SiteHeader wide>
          <div className="flex min-w-0 items-center gap-3">
            <LiveStatus state={live} />
            <SidebarDrawerButton {...sidebar} />
            <span className="hidden max-w-56 truncate text-sm text-zinc-600 sm:inline dark:text-zinc-400">
              {userName}
            </span>
            <Link href="/settings" className="text-sm font-medium text-zinc-700 hover:underline dark:text-zinc-300">
              Settings
            </Link>
            <Button variant="secondary" size="sm" onClick={onSignOut} disabled={signingOut}>
              Sign out
            </Button>
          </div>
        </SiteHeader>

        <div className="mx-auto flex w-full max-w-5xl">
          <SidebarColumn {...sidebar} className="sticky top-0 max-h-screen" />
          <main id="main" className="min-w-0 flex-1 px-4 pt-8 pb-32 sm:px-6 sm:pt-12">
            <TaskListPanel
              heading={sectionHeading(section, lists)}
              section={section}
              filter={filter}
              onFilter={changeFilter}
              search={search}
              counts={counts}
              list={list}
              visible={visible}
              notice={notice}
              onDismissNotice={dismiss}
              notify={notify}
              onLoaded={(first) => focus.set(taskDomId(first.id, "toggle"))}
              addForm={
                <AddTaskForm
                  onAdd={tasks.create}
                  titleRef={titleInput}
                  lists={lists}
                  timeZone={timeZone}
                  defaults={sectionDefaults(section, clock.date)}
                />
              }
              row={{
                onToggle: actions.toggle,
                onSave: tasks.edit,
                onDelete: actions.remove,
                onDetails: setDetails,
                today: clock.date,
                now: clock.time,
              }}
            />
          </main>
        </div>
      </fieldset>

      <TaskDetails
        task={details}
        lists={lists}
        tagNames={tags.map((tag) => tag.name)}
        today={clock.date}
        onSave={(patch) => {
          if (details) tasks.edit(details, patch);
          setDetails(null);
        }}
        onClose={() => setDetails(null)}
      />
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <UndoToast
        pending={undo.open}
        durationMs={UNDO_MS}
        onUndo={undo.undo}
        onPause={undo.pause}
        onResume={undo.resume}
      />
    </TaskDnd>
  );
}

/** The page's heading: "Tasks" for everything (as ever), else the section's name. */
function sectionHeading(section: Section, lists: { id: string; name: string }[]): string {
  switch (section.kind) {
    case "all":
      return "Tasks";
    case "inbox":
      return "Inbox";
    case "today":
      return "Today";
    case "upcoming":
      return "Upcoming";
    case "list":
      return lists.find((list) => list.id === section.id)?.name ?? "List";
    case "tag":
      return `@${section.name}`;
  }
}
