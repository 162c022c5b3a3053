"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { ActionResult, OrganiseList, OrganiseTag } from "./types";

export type ListTasksChoice = "move" | "delete";

const DANGER_BORDER = "border border-red-300 dark:border-red-900";

const tasksText = (count: number) => `${count} ${count === 1 ? "task" : "tasks"}`;

/** Runs a delete, keeping the dialog open with the server's message when it fails. */
function useDeleteAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return {
    busy,
    error,
    run: async (action: () => ActionResult) => {
      setBusy(true);
      setError(undefined);
      const failure = await action().finally(() => setBusy(false));
      if (typeof failure === "string") setError(failure);
      else onDone();
    },
  };
}

/**
 * Deleting a list: with open tasks in it, the user chooses to move them to the Inbox or to delete them too; without,
 * a plain confirmation (any completed tasks go to the Inbox).
 */
export function DeleteListDialog({
  list,
  openTasks,
  onDelete,
  onClose,
}: {
  list: OrganiseList | null;
  openTasks: number;
  onDelete: (list: OrganiseList, tasks: ListTasksChoice) => ActionResult;
  onClose: () => void;
}) {
  const action = useDeleteAction(onClose);
  const run = (tasks: ListTasksChoice) => list && void action.run(() => onDelete(list, tasks));
  return (
    <Dialog
      open={list !== null}
      onClose={onClose}
      title={`Delete list “${list?.name ?? ""}”?`}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          {openTasks > 0 ? null : (
            <Button variant="danger" disabled={action.busy} onClick={() => run("move")} className={DANGER_BORDER}>
              Delete list
            </Button>
          )}
        </>
      }
    >
      {openTasks > 0 ? (
        <>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            It has {tasksText(openTasks)} to do. Keep them in the Inbox, or delete them with the list?
          </p>
          <div className="mt-4 flex flex-col gap-2">
            <Button disabled={action.busy} onClick={() => run("move")}>
              Move {tasksText(openTasks)} to Inbox
            </Button>
            <Button variant="danger" disabled={action.busy} onClick={() => run("delete")} className={DANGER_BORDER}>
              Delete list and its {tasksText(openTasks)}
            </Button>
          </div>
        </>
      ) : (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">It has no tasks to do.</p>
      )}
      {action.error ? (
        <Alert role="alert" className="mt-3">
          {action.error}
        </Alert>
      ) : null}
    </Dialog>
  );
}

/** Deleting a tag takes it off its tasks; the tasks stay. */
export function DeleteTagDialog({
  tag,
  onDelete,
  onClose,
}: {
  tag: OrganiseTag | null;
  onDelete: (tag: OrganiseTag) => ActionResult;
  onClose: () => void;
}) {
  const action = useDeleteAction(onClose);
  return (
    <Dialog
      open={tag !== null}
      onClose={onClose}
      title={`Delete tag “${tag?.name ?? ""}”?`}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={action.busy}
            onClick={() => tag && void action.run(() => onDelete(tag))}
            className={DANGER_BORDER}
          >
            Delete tag
          </Button>
        </>
      }
    >
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        {tag && tag.task_count > 0
          ? `It comes off ${tasksText(tag.task_count)}; the tasks themselves stay.`
          : "No task has it."}
      </p>
      {action.error ? (
        <Alert role="alert" className="mt-3">
          {action.error}
        </Alert>
      ) : null}
    </Dialog>
  );
}
