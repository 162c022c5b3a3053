"use client";

import {
  type CSSProperties,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
  useEffect,
  useRef,
  useState,
} from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cn } from "@/components/ui/cn";
import { checkTaskEdit } from "@/lib/client/task-form";
import type { TaskPatch } from "@/lib/tasks/schema";
import { PencilIcon, SlidersIcon, TrashIcon } from "./icons";
import { TaskTextField, useTaskFields } from "./task-fields";
import type { UiTask } from "./task-keys";

export const taskDomId = (id: string, part: "toggle" | "edit" | "title" | "details") => `task-${id}-${part}`;

export function TaskItem({
  task,
  onToggle,
  onSave,
  onDelete,
  onDetails,
  meta,
  handle,
  itemRef,
  style,
  dragging,
}: {
  task: UiTask;
  onToggle: (task: UiTask) => void;
  onSave: (task: UiTask, patch: TaskPatch) => void;
  onDelete: (task: UiTask) => void;
  /** Opens the panel with every field. */
  onDetails?: (task: UiTask) => void;
  /** The line under the title: due date, priority, tags. */
  meta?: ReactNode;
  /** The drag handle, where the list is in the user's own order. */
  handle?: ReactNode;
  itemRef?: Ref<HTMLLIElement>;
  style?: CSSProperties;
  dragging?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const restoreFocus = useRef(false);

  useEffect(() => {
    if (!editing && restoreFocus.current) {
      restoreFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  const close = () => {
    restoreFocus.current = true;
    setEditing(false);
  };

  const titleId = taskDomId(task.id, "title");
  const busy = task.pending === true;

  return (
    <li
      ref={itemRef}
      style={style}
      data-task-id={task.id}
      className={cn(
        "flex items-start gap-3 bg-white px-4 py-3 sm:px-5 dark:bg-zinc-900",
        busy && "opacity-70",
        dragging && "relative z-10 shadow-lg",
      )}
      aria-busy={busy || undefined}
    >
      {handle}
      <Checkbox
        id={taskDomId(task.id, "toggle")}
        className="mt-0.5"
        checked={task.completed}
        disabled={busy}
        aria-label={task.title}
        onChange={() => onToggle(task)}
      />
      {editing ? (
        <EditTaskForm
          task={task}
          onCancel={close}
          onSave={(edited, patch) => {
            if (patch) onSave(edited, patch);
            close();
          }}
        />
      ) : (
        <>
          <div className="min-w-0 flex-1 pt-0.5">
            <p
              id={titleId}
              onDoubleClick={() => !busy && setEditing(true)}
              className={cn(
                "text-[0.9375rem] leading-6 break-words [overflow-wrap:anywhere]",
                task.completed &&
                  "text-zinc-500 line-through decoration-zinc-400 dark:text-zinc-400 dark:decoration-zinc-500",
              )}
            >
              {task.title}
            </p>
            {task.description ? (
              <p className="mt-0.5 text-sm whitespace-pre-wrap break-words text-zinc-600 [overflow-wrap:anywhere] dark:text-zinc-400">
                {task.description}
              </p>
            ) : null}
            {meta}
          </div>
          <div className="-my-1 -mr-2 flex shrink-0 items-center gap-0.5">
            <Button
              ref={editButton}
              id={taskDomId(task.id, "edit")}
              variant="ghost"
              size="sm"
              disabled={busy}
              aria-describedby={titleId}
              onClick={() => setEditing(true)}
            >
              <PencilIcon />
              <span className="max-sm:sr-only">Edit</span>
            </Button>
            {onDetails ? (
              <Button
                id={taskDomId(task.id, "details")}
                variant="ghost"
                size="sm"
                disabled={busy}
                aria-describedby={titleId}
                onClick={() => onDetails(task)}
              >
                <SlidersIcon />
                <span className="max-sm:sr-only">Details</span>
              </Button>
            ) : null}
            <Button
              variant="danger"
              size="sm"
              disabled={busy}
              aria-describedby={titleId}
              onClick={() => onDelete(task)}
            >
              <TrashIcon />
              <span className="max-sm:sr-only">Delete</span>
            </Button>
          </div>
        </>
      )}
    </li>
  );
}

function EditTaskForm({
  task,
  onSave,
  onCancel,
}: {
  task: UiTask;
  /** `edited` is the task as the form opened on it: the patch is what the user changed, sent if it is still so. */
  onSave: (edited: UiTask, patch: TaskPatch | undefined) => void;
  onCancel: () => void;
}) {
  // The task may change elsewhere while the form is open (live updates): the form keeps the user's text, and the
  // save is of what they changed from what they saw, with that version's If-Match (a 412 if it changed meanwhile).
  const [edited] = useState(task);
  const fields = useTaskFields({ title: edited.title, description: edited.description ?? "" });
  const { title, description, errors } = fields;
  const titleInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const input = titleInput.current;
    if (!input) return;
    input.focus();
    // Caret at the end, so typing adds to the title instead of replacing it.
    input.setSelectionRange(input.value.length, input.value.length);
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const check = checkTaskEdit(edited, { title, description });
    if (!check.ok) {
      fields.setSubmitErrors(check.errors);
      const field = check.errors.title ? "title" : "description";
      event.currentTarget.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
      return;
    }
    onSave(edited, check.data);
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  }

  const idBase = `edit-${task.id}`;

  return (
    <form noValidate onSubmit={onSubmit} onKeyDown={onKeyDown} className="flex min-w-0 flex-1 flex-col gap-2">
      <TaskTextField
        kind="title"
        id={`${idBase}-title`}
        label="Edit title"
        labelClassName="sr-only"
        inputRef={titleInput}
        placeholder="Title"
        value={title}
        onChange={fields.editTitle}
        error={errors.title}
      />
      <TaskTextField
        kind="description"
        id={`${idBase}-description`}
        label="Edit description"
        labelClassName="sr-only"
        placeholder="Description (optional)"
        value={description}
        onChange={fields.editDescription}
        error={errors.description}
      />
      <div className="flex items-center justify-end gap-2">
        <span className="mr-auto hidden text-xs text-zinc-600 sm:inline dark:text-zinc-400">
          <kbd className="font-sans font-semibold">Esc</kbd> to cancel
        </span>
        <Button variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm">
          Save
        </Button>
      </div>
    </form>
  );
}
