// Changes made elsewhere (another tab, device or script), applied to this page's cache as the change stream reports
// them: a task's new state replaces the cached copy at once, and the reads that settle membership, order and counts
// follow, one round of them per burst.

import type { Query, QueryClient, QueryKey } from "@tanstack/react-query";
import type { ChangeEvent } from "@/lib/changes/schema";
import type { Task } from "@/lib/client/tasks-api";
import { adjustCounts, findTask, insertTask, knownVersion, removeTask, updateTask } from "./task-cache";
import { taskKeys } from "./task-keys";

/** How long changes are gathered before the cache reads again: a burst (a list deleted with its tasks) is one read. */
export const FRAME_MS = 100;

export interface ChangeApplier {
  apply: (event: ChangeEvent) => void;
  /** Reads everything of the user again (the stream cannot say what changed). */
  resync: () => void;
  dispose: () => void;
}

export function createChangeApplier(client: QueryClient, userId: string): ChangeApplier {
  /** Each task's last reported state (or its deletion), waiting for the next frame. */
  const tasks = new Map<string, Task | "deleted">();
  /** The queries to read again at the next frame. */
  const stale = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    timer ??= setTimeout(flush, FRAME_MS);
  };
  const markStale = (...keys: QueryKey[]) => {
    for (const key of keys) stale.set(JSON.stringify(key), key);
  };
  const readAgain = (key: QueryKey) => {
    markStale(key);
    schedule();
  };

  function applyTask(taskId: string, change: Task | "deleted") {
    const cached = findTask(client, userId, taskId);
    if (change === "deleted") {
      if (cached) {
        removeTask(client, userId, taskId);
        adjustCounts(client, userId, cached, undefined);
      }
      markStale(taskKeys.summary(userId));
      return;
    }
    // Our own write coming back, or older than what a read since brought.
    if (knownVersion(client, userId, taskId) >= change.version) return;
    if (cached) {
      updateTask(client, userId, taskId, () => change);
      adjustCounts(client, userId, cached, change);
    } else if (change.version === 1) {
      // Just created: it shows at once where it belongs (a search is the server's to match).
      insertTask(client, userId, change, (view) => view.q === "");
      adjustCounts(client, userId, undefined, change);
    }
    // It may have joined or left a view, or moved in one; the counts by list, tag and view follow.
    markStale(taskKeys.lists(userId), taskKeys.summary(userId));
  }

  const loadingMore = (query: Query) =>
    query.state.fetchStatus === "fetching" && query.state.fetchMeta?.fetchMore !== undefined;

  function flush() {
    timer = undefined;
    const creating = client.isMutating({ mutationKey: taskKeys.create(userId) }) > 0;
    for (const [taskId, change] of tasks) {
      // A task being written here is left to its write: the answer is the task as it then stands. A task this page
      // does not hold may be one it is creating, whose answer will say so.
      if (client.isMutating({ mutationKey: taskKeys.write(userId, taskId) }) > 0) continue;
      if (creating && change !== "deleted" && !findTask(client, userId, taskId)) continue;
      tasks.delete(taskId);
      applyTask(taskId, change);
    }
    // A read now could answer from before a write under way here and undo what the page shows of it, and reading the
    // lists again would cut a "Load more" short: the reads wait for them.
    const busy =
      client.isMutating({ mutationKey: taskKeys.all(userId) }) > 0 ||
      client.getQueryCache().findAll({ queryKey: taskKeys.lists(userId), predicate: loadingMore }).length > 0;
    if (busy || tasks.size > 0) {
      schedule();
      return;
    }
    // Everything of the user covers the rest (reading a list twice would cancel the first read).
    const everything = stale.get(JSON.stringify(taskKeys.all(userId)));
    for (const key of everything ? [everything] : stale.values()) void client.invalidateQueries({ queryKey: key });
    stale.clear();
  }

  return {
    apply: (event) => {
      switch (event.type) {
        case "task.upserted":
          tasks.set(event.id, event.data);
          schedule();
          return;
        case "task.deleted":
          tasks.set(event.id, "deleted");
          schedule();
          return;
        case "list.upserted":
        case "list.deleted":
          readAgain(taskKeys.namedLists(userId));
          return;
        case "tag.upserted":
        case "tag.deleted":
          readAgain(taskKeys.tags(userId));
          return;
      }
    },
    resync: () => readAgain(taskKeys.all(userId)),
    dispose: () => clearTimeout(timer),
  };
}
