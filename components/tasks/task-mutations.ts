"use client";

import { MutationObserver, type MutationOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { type ApiError, ApiFailure, type Task, unwrap } from "@/lib/client/tasks-api";
import type { TaskCreate, TaskMove, TaskPatch } from "@/lib/tasks/schema";
import { CHANGED_ELSEWHERE, describeApiError, quote } from "./api-messages";
import {
  adjustCounts,
  cancelRefetches,
  etagOf,
  expectedVersion,
  findTask,
  insertTask,
  placeTask,
  removeTask,
  serverTask,
  updateTask,
} from "./task-cache";
import { taskKeys, type UiTask } from "./task-keys";
import { useTasksApi } from "./task-queries";

const ORGANISING_FIELDS = ["list_id", "due_date", "due_time", "priority", "tags"] as const;

function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiFailure) return error.apiError;
  return { kind: "http", status: 0, code: "client_error", detail: "Something went wrong on this page.", fields: [] };
}

function temporaryTask(userId: string, input: TaskCreate): UiTask {
  const now = new Date().toISOString();
  return {
    id: `pending-${crypto.randomUUID()}`,
    title: input.title,
    description: input.description ?? null,
    completed: input.completed ?? false,
    created_at: now,
    updated_at: now,
    user_id: userId,
    version: 1,
    list_id: input.list_id ?? null,
    due_date: input.due_date ?? null,
    due_time: input.due_time ?? null,
    priority: input.priority ?? "none",
    position: "",
    tags: input.tags ?? [],
    pending: true,
  };
}

/**
 * The task writes. Each shows at once in every cached list that holds the task (and in the counts), is sent with
 * `If-Match: "<version>"` of the newest version this page knows, and goes back to the server's last version if
 * refused. A 412 shows the server's version instead, with a notice; the writes queued behind it are dropped.
 */
export function useTaskMutations(userId: string, notify: (message: string) => void) {
  const client = useQueryClient();
  const api = useTasksApi(userId);

  const creation = useMutation({
    mutationKey: taskKeys.create(userId),
    mutationFn: (input: TaskCreate) => unwrap(api.create(input)),
    onMutate: async (input) => {
      await cancelRefetches(client, userId);
      const temporary = temporaryTask(userId, input);
      insertTask(client, userId, temporary);
      adjustCounts(client, userId, undefined, temporary);
      return temporary;
    },
    onSuccess: (task, _input, temporary) => {
      if (findTask(client, userId, temporary.id)) updateTask(client, userId, temporary.id, () => task);
      else insertTask(client, userId, task);
    },
    onError: (error, input, temporary) => {
      if (temporary) {
        removeTask(client, userId, temporary.id);
        adjustCounts(client, userId, temporary, undefined);
      }
      const failure = apiErrorOf(error);
      if (failure.kind !== "session") notify(`Couldn't add ${quote(input.title)}. ${describeApiError(failure)}`);
    },
  });
  const create = creation.mutateAsync;

  return useMemo(() => {
    /** Writes still unanswered for the task (the one asking included). */
    const writesPending = (taskId: string) => client.isMutating({ mutationKey: taskKeys.write(userId, taskId) });

    /**
     * A write to an existing task, after the ones already under way for it, so that each sends the version its
     * predecessor got back. `useMutation` fixes its scope for the hook's lifetime and a delete outlives the task's
     * row, so these mutations are started on an observer of their own, scoped to the task.
     */
    function write(taskId: string, options: MutationOptions<Task | undefined, unknown, void>): Promise<void> {
      const observer = new MutationObserver(client, {
        ...options,
        mutationKey: taskKeys.write(userId, taskId),
        scope: { id: taskId },
      });
      return observer
        .mutate()
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => observer.reset());
    }

    /** After a 412: the server's version replaces ours, with the notice. Resolves to why it could not be read. */
    async function showServerVersion(
      task: Task,
      shownBefore: Pick<Task, "completed"> | undefined,
      what: string,
    ): Promise<ApiError | undefined> {
      const latest = await api.get(task.id);
      if (!latest.ok) return latest.error;
      if (findTask(client, userId, task.id)) updateTask(client, userId, task.id, () => latest.data);
      else insertTask(client, userId, latest.data);
      adjustCounts(client, userId, shownBefore, latest.data);
      notify(`${what} ${CHANGED_ELSEWHERE}`);
      return undefined;
    }

    function patch(task: UiTask, change: TaskPatch, verb: string) {
      if (task.pending) return;
      const what = `Couldn't ${verb} ${quote(task.title)}.`;
      void write(task.id, {
        onMutate: async () => {
          await cancelRefetches(client, userId);
          const shown = findTask(client, userId, task.id) ?? task;
          const changed = { ...shown, ...change, confirmed: shown.confirmed ?? serverTask(shown) };
          updateTask(client, userId, task.id, () => changed);
          adjustCounts(client, userId, shown, changed);
        },
        mutationFn: async () => {
          const shown = findTask(client, userId, task.id);
          // The server's version replaced this change while it waited its turn: it no longer applies.
          if (shown && !shown.confirmed) return undefined;
          return unwrap(api.patch(task.id, change, etagOf(expectedVersion(client, userId, task))));
        },
        onSuccess: (saved) => {
          if (!saved) return;
          const shown = findTask(client, userId, task.id);
          if (writesPending(task.id) > 1) {
            // A later change is on its way: it stays on screen, on top of this answer.
            const answered = { version: saved.version, updated_at: saved.updated_at, confirmed: saved };
            updateTask(client, userId, task.id, (t) => ({ ...t, ...answered }));
            return;
          }
          updateTask(client, userId, task.id, () => saved);
          adjustCounts(client, userId, shown, saved);
          // Its list, date or tags may put it in other sections, or elsewhere in a section's order.
          if (ORGANISING_FIELDS.some((field) => field in change)) {
            void client.invalidateQueries({ queryKey: taskKeys.lists(userId) });
          }
        },
        onError: async (error) => {
          let failure = apiErrorOf(error);
          if (failure.kind === "session") return;
          const shown = findTask(client, userId, task.id);
          if (failure.status === 412) {
            const unread = await showServerVersion(task, shown, what);
            if (!unread) return;
            failure = unread;
          }
          if (failure.status === 404) {
            removeTask(client, userId, task.id);
            adjustCounts(client, userId, shown, undefined);
          } else if (writesPending(task.id) === 1 && shown?.confirmed) {
            const { confirmed } = shown;
            updateTask(client, userId, task.id, () => confirmed);
            adjustCounts(client, userId, shown, confirmed);
          }
          notify(`${what} ${describeApiError(failure)}`);
        },
      });
    }

    /** Sends the DELETE of a task already hidden (see `hide`); if refused, the task comes back. */
    function remove(task: UiTask): Promise<void> {
      const what = `Couldn't delete ${quote(task.title)}.`;
      return write(task.id, {
        // A read made while the task was hidden may have brought it back into a cached list; from here it is gone.
        onMutate: () => removeTask(client, userId, task.id),
        mutationFn: () => unwrap(api.remove(task.id, etagOf(expectedVersion(client, userId, task)))),
        onError: async (error) => {
          let failure = apiErrorOf(error);
          if (failure.kind === "session") return;
          if (failure.status === 412) {
            const unread = await showServerVersion(task, undefined, what);
            // Gone by now is what we wanted.
            if (!unread || unread.status === 404) return;
            failure = unread;
          }
          const restored = task.confirmed ?? serverTask(task);
          insertTask(client, userId, restored);
          adjustCounts(client, userId, undefined, restored);
          notify(`${what} ${describeApiError(failure)}`);
        },
      });
    }

    /** Puts the task elsewhere in manual order (and maybe in another list) at once; refused, the lists are read again. */
    function move(task: UiTask, change: TaskMove) {
      if (task.pending) return;
      void write(task.id, {
        onMutate: async () => {
          await cancelRefetches(client, userId);
          placeTask(client, userId, findTask(client, userId, task.id) ?? task, change);
        },
        mutationFn: () => unwrap(api.move(task.id, change, etagOf(expectedVersion(client, userId, task)))),
        onSuccess: (saved) => {
          if (saved) updateTask(client, userId, task.id, () => saved);
        },
        onError: async (error) => {
          const failure = apiErrorOf(error);
          await client.invalidateQueries({ queryKey: taskKeys.lists(userId) });
          if (failure.kind === "session") return;
          notify(`Couldn't move ${quote(task.title)}. ${describeApiError(failure)}`);
        },
        onSettled: () => client.invalidateQueries({ queryKey: taskKeys.summary(userId) }),
      });
    }

    return {
      move,
      /** Adds the task at once; resolves false (after a notice) if the server refused it. */
      create: (input: TaskCreate) =>
        create(input).then(
          () => true,
          () => false,
        ),
      toggle: (task: UiTask) => patch(task, { completed: !task.completed }, task.completed ? "reopen" : "complete"),
      edit: (task: UiTask, change: TaskPatch) => patch(task, change, "save"),
      /** Takes the task off the lists and the counts, for its undo window. */
      hide: async (task: UiTask) => {
        await cancelRefetches(client, userId);
        removeTask(client, userId, task.id);
        adjustCounts(client, userId, task, undefined);
      },
      restore: (task: UiTask) => {
        insertTask(client, userId, task);
        adjustCounts(client, userId, undefined, task);
      },
      remove,
      /** The DELETE in a request that outlives the page (it is being left during the undo window). */
      removeOnLeave: (task: UiTask) => {
        api.removeOnUnload(task.id, etagOf(expectedVersion(client, userId, task)));
      },
      /** Deletes owed since the page was left during an undo window; already gone counts as done. */
      removeOwed: async (taskIds: string[]) => {
        await Promise.all(
          taskIds.map(async (taskId) => {
            const removed = await api.remove(taskId);
            if (removed.ok || removed.error.kind === "session") return;
            notify(`Couldn't delete a task. ${describeApiError(removed.error)}`);
          }),
        );
      },
    };
  }, [client, userId, api, notify, create]);
}
