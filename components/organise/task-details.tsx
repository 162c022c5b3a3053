"use client";

import { type FormEvent, useId, useState } from "react";
import { CharCounter, counterId } from "@/components/tasks/char-counter";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { DESCRIPTION_MAX_CHARS, type TaskPatch, TITLE_MAX_CHARS } from "@/lib/tasks/schema";
import { dueShortcuts } from "./due-shortcuts";
import { PRIORITY_COLOURS, PRIORITY_OPTIONS } from "./priority";
import { TagInput } from "./tag-input";
import { type DraftErrors, draftOf, patchOf, type TaskDraft } from "./task-patch";
import type { OrganiseList, OrganiseTask } from "./types";

export interface TaskDetailsProps {
  /** The task being edited; null closes the panel. */
  task: OrganiseTask | null;
  lists: OrganiseList[];
  /** The user's tag names, suggested as you type. */
  tagNames: string[];
  /** `YYYY-MM-DD` in the user's time zone, for Today, Tomorrow and Next week. */
  today: string;
  /** Only the changed fields; not called when nothing changed (the panel just closes). The parent closes it. */
  onSave: (patch: TaskPatch) => void;
  onClose: () => void;
  /** The server's answer to the last save, shown above the buttons. */
  error?: string;
  saving?: boolean;
}

/** Every field of a task: a side sheet from 768 px, full screen below. Esc or Cancel closes it, focus goes back. */
export function TaskDetails({ task, onClose, ...props }: TaskDetailsProps) {
  const formId = useId();
  return (
    <Dialog
      open={task !== null}
      onClose={onClose}
      title="Task details"
      variant="sheet"
      footer={
        <>
          {props.error ? (
            <Alert role="alert" className="mb-1 w-full">
              {props.error}
            </Alert>
          ) : null}
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} disabled={props.saving}>
            {props.saving ? "Saving…" : "Save"}
          </Button>
        </>
      }
    >
      {task ? <TaskDetailsForm key={task.id} id={formId} task={task} onClose={onClose} {...props} /> : null}
    </Dialog>
  );
}

function TaskDetailsForm({
  id,
  task,
  lists,
  tagNames,
  today,
  onSave,
  onClose,
}: Omit<TaskDetailsProps, "task" | "error" | "saving"> & { id: string; task: OrganiseTask }) {
  const [draft, setDraft] = useState<TaskDraft>(() => draftOf(task));
  const [errors, setErrors] = useState<DraftErrors>({});
  const set = <K extends keyof TaskDraft>(field: K, value: TaskDraft[K]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setErrors(({ [field as keyof DraftErrors]: _, ...rest }) => rest);
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = patchOf(task, draft);
    if (!result.ok) {
      setErrors(result.errors);
      const first = Object.keys(result.errors)[0];
      event.currentTarget.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    if (result.patch) onSave(result.patch);
    else onClose();
  }

  const titleCounter = counterId(`${id}-title`, draft.title, TITLE_MAX_CHARS);
  const descriptionCounter = counterId(`${id}-description`, draft.description, DESCRIPTION_MAX_CHARS);

  return (
    <form id={id} noValidate onSubmit={submit} className="flex flex-col gap-5">
      <Field
        id={`${id}-title`}
        label="Title"
        error={errors.title}
        describedBy={titleCounter}
        aside={titleCounter ? <CharCounter id={titleCounter} value={draft.title} max={TITLE_MAX_CHARS} /> : null}
      >
        {(control) => (
          <Input
            {...control}
            name="title"
            autoFocus
            autoComplete="off"
            value={draft.title}
            onChange={(event) => set("title", event.target.value)}
          />
        )}
      </Field>

      <Field
        id={`${id}-description`}
        label="Description"
        error={errors.description}
        describedBy={descriptionCounter}
        aside={
          descriptionCounter ? (
            <CharCounter id={descriptionCounter} value={draft.description} max={DESCRIPTION_MAX_CHARS} />
          ) : null
        }
      >
        {(control) => (
          <Textarea
            {...control}
            name="description"
            rows={3}
            placeholder="Notes, links, steps…"
            value={draft.description}
            onChange={(event) => set("description", event.target.value)}
          />
        )}
      </Field>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Due</legend>
        <div className="flex flex-wrap gap-1.5">
          {dueShortcuts(today).map((shortcut) => (
            <Button
              key={shortcut.label}
              variant="secondary"
              size="sm"
              aria-pressed={draft.due_date === (shortcut.date ?? "")}
              onClick={() => set("due_date", shortcut.date ?? "")}
              className="aria-pressed:border-indigo-600 aria-pressed:text-indigo-700 dark:aria-pressed:border-indigo-400 dark:aria-pressed:text-indigo-300"
            >
              {shortcut.label}
            </Button>
          ))}
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field id={`${id}-date`} label="Date" labelClassName="text-xs">
            {(control) => (
              <Input
                {...control}
                type="date"
                name="due_date"
                value={draft.due_date}
                onChange={(event) => set("due_date", event.target.value)}
              />
            )}
          </Field>
          <Field
            id={`${id}-time`}
            label="Time"
            labelClassName="text-xs"
            error={errors.due_time}
            hint={draft.due_date ? undefined : "Pick a date first"}
          >
            {(control) => (
              <Input
                {...control}
                type="time"
                name="due_time"
                disabled={!draft.due_date}
                value={draft.due_date ? draft.due_time : ""}
                onChange={(event) => set("due_time", event.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <Field id={`${id}-list`} label="List">
        {(control) => (
          <Select
            {...control}
            name="list_id"
            value={draft.list_id}
            onChange={(event) => set("list_id", event.target.value)}
          >
            <option value="">Inbox</option>
            {lists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </Select>
        )}
      </Field>

      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Priority</legend>
        <div className="grid grid-cols-4 rounded-lg border border-zinc-300 p-0.5 dark:border-zinc-700">
          {PRIORITY_OPTIONS.map((option) => (
            <label
              key={option.value}
              className={cn(
                "flex cursor-pointer items-center justify-center gap-1 rounded-md px-2 py-1.5 text-sm font-medium has-checked:bg-zinc-100 has-focus-visible:outline-2 has-focus-visible:outline-indigo-600 dark:has-checked:bg-zinc-800",
                PRIORITY_COLOURS[option.value],
              )}
            >
              <input
                type="radio"
                name="priority"
                value={option.value}
                checked={draft.priority === option.value}
                onChange={() => set("priority", option.value)}
                className="sr-only"
              />
              {option.label}
            </label>
          ))}
        </div>
      </fieldset>

      <TagInput tags={draft.tags} suggestions={tagNames} onChange={(tags) => set("tags", tags)} />
      {errors.tags ? (
        <p role="alert" className="-mt-3 text-sm text-red-700 dark:text-red-400">
          {errors.tags}
        </p>
      ) : null}
    </form>
  );
}
