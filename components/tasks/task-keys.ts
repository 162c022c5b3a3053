// The query and mutation keys of the task page. Everything of one user starts with ['tasks', userId], so a
// sign-in as someone else never reads another cache entry, and one prefix reaches all of a user's data.

import type { Filter } from "@/lib/client/filters";
import type { Section } from "@/lib/client/sections";
import type { Task } from "@/lib/client/tasks-api";
import { inView, type WallClock } from "@/lib/tasks/views";
import { nameKey } from "@/lib/text";

/**
 * What one list shows; its key holds the whole object, so later views (`list_id`, `tag`, `view=today`) are new
 * fields here, not new key shapes.
 */
export interface TaskView {
  section: Section;
  filter: Filter;
  /** The search (`q=`), trimmed; "" for none. */
  q: string;
}

export interface UiTask extends Task {
  /** Created here, not yet confirmed by the server. */
  pending?: boolean;
  /** While changes made here are unanswered: the server's last version, what a refusal goes back to. */
  confirmed?: Task;
}

export const taskKeys = {
  all: (userId: string) => ["tasks", userId] as const,
  lists: (userId: string) => ["tasks", userId, "list"] as const,
  list: (userId: string, view: TaskView) => ["tasks", userId, "list", view] as const,
  summary: (userId: string) => ["tasks", userId, "summary"] as const,
  /** The user's named lists (not to be confused with `lists`, the cached task lists). */
  namedLists: (userId: string) => ["tasks", userId, "named-lists"] as const,
  tags: (userId: string) => ["tasks", userId, "tags"] as const,
  settings: (userId: string) => ["tasks", userId, "settings"] as const,
  create: (userId: string) => ["tasks", userId, "create"] as const,
  /** Every write to one existing task (PATCH and DELETE), which run one after another. */
  write: (userId: string, taskId: string) => ["tasks", userId, "write", taskId] as const,
};

const matchesFilter = (filter: Filter, task: Pick<Task, "completed">) =>
  filter === "all" || (filter === "active" ? !task.completed : task.completed);

/**
 * Whether a task added, changed or brought back here belongs in a cached list: its filter and its section. The
 * search is the server's to apply, and what the user just added stays in sight (as it always has).
 */
export const viewAdmits = (view: TaskView, task: Task, now: WallClock) =>
  matchesFilter(view.filter, task) && sectionAdmits(view.section, task, now);

function sectionAdmits(section: Section, task: Task, now: WallClock): boolean {
  switch (section.kind) {
    case "all":
      return true;
    case "inbox":
      return task.list_id === null;
    case "list":
      return task.list_id === section.id;
    case "tag":
      return task.tags.some((tag) => nameKey(tag) === nameKey(section.name));
    case "today":
    case "upcoming":
      return inView(section.kind, task, now);
  }
}
