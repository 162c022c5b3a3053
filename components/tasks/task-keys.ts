// The query and mutation keys of the task page. Everything of one user starts with ['tasks', userId], so a
// sign-in as someone else never reads another cache entry, and one prefix reaches all of a user's data.

import type { Filter } from "@/lib/client/filters";
import type { Task } from "@/lib/client/tasks-api";

/**
 * What one list shows; its key holds the whole object, so later views (`list_id`, `tag`, `view=today`) are new
 * fields here, not new key shapes.
 */
export interface TaskView {
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
  create: (userId: string) => ["tasks", userId, "create"] as const,
  /** Every write to one existing task (PATCH and DELETE), which run one after another. */
  write: (userId: string, taskId: string) => ["tasks", userId, "write", taskId] as const,
};

export const matchesFilter = (filter: Filter, task: Pick<Task, "completed">) =>
  filter === "all" || (filter === "active" ? !task.completed : task.completed);

/**
 * Whether a task added or brought back here goes into a cached list. Only the filter is checked: the search is
 * the server's to apply, and what the user just added stays in sight (as it always has).
 */
export const viewAdmits = (view: TaskView, task: Pick<Task, "completed">) => matchesFilter(view.filter, task);
