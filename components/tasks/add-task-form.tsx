"use client";

import type { FormEvent, Ref } from "react";
import { QuickAddChips, quickAddFields, readQuickAdd } from "@/components/organise/quick-add";
import type { OrganiseList } from "@/components/organise/types";
import { Button } from "@/components/ui/button";
import { checkNewTask } from "@/lib/client/task-form";
import type { TaskCreate } from "@/lib/tasks/schema";
import { PlusIcon } from "./icons";
import { TaskTextField, useTaskFields } from "./task-fields";

/**
 * The add-task form. Its title line is read as you type ("Pay rent tomorrow 9am #Home !high @bills": a due date,
 * a list, a priority, tags), what it understood shows as chips, and the rest is the title.
 */
export function AddTaskForm({
  onAdd,
  titleRef,
  lists,
  timeZone,
  defaults,
}: {
  onAdd: (input: TaskCreate) => Promise<boolean>;
  titleRef: Ref<HTMLInputElement>;
  lists: OrganiseList[];
  timeZone: string;
  /** What the current section implies for a new task: its list, today in Today. */
  defaults: Partial<TaskCreate>;
}) {
  const fields = useTaskFields();
  const { title, description, errors } = fields;
  const parsed = readQuickAdd(title, lists, timeZone);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const check = checkNewTask({ title: parsed.tokens.length > 0 ? parsed.title : title, description });
    if (!check.ok) {
      fields.setSubmitErrors(check.errors);
      const field = check.errors.title ? "new-task-title" : "new-task-description";
      form.querySelector<HTMLElement>(`#${field}`)?.focus();
      return;
    }
    fields.setSubmitErrors({});
    fields.setTitle("");
    fields.setDescription("");
    form.querySelector<HTMLElement>("#new-task-title")?.focus();
    const added = await onAdd({ ...check.data, ...quickAddFields(parsed, defaults) });
    if (!added) {
      // Give the text back, unless the user has started typing something else.
      fields.setTitle((current) => (current === "" ? title : current));
      fields.setDescription((current) => (current === "" ? (check.data.description ?? "") : current));
    }
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      aria-label="Add a task"
      className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-col gap-4">
        <TaskTextField
          kind="title"
          id="new-task-title"
          label="Title"
          inputRef={titleRef}
          enterKeyHint="done"
          placeholder="What needs doing?"
          value={title}
          onChange={fields.editTitle}
          error={errors.title}
          hint={
            <span className="text-xs text-zinc-600 dark:text-zinc-400">
              Try: Pay rent tomorrow 9am #Home !high @bills
            </span>
          }
        />
        <QuickAddChips text={title} parsed={parsed} onTextChange={fields.editTitle} />
        <TaskTextField
          kind="description"
          id="new-task-description"
          label="Description"
          placeholder="Notes, links, details"
          hint={<span className="text-xs text-zinc-600 dark:text-zinc-400">Optional</span>}
          value={description}
          onChange={fields.editDescription}
          error={errors.description}
        />
      </div>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <p className="hidden text-xs text-zinc-600 sm:block dark:text-zinc-400">
          <kbd className="font-sans font-semibold">Enter</kbd> adds the task ·{" "}
          <kbd className="font-sans font-semibold">Shift + Enter</kbd> starts a new line
        </p>
        <Button type="submit" className="w-full sm:ml-auto sm:w-auto">
          <PlusIcon />
          Add task
        </Button>
      </div>
    </form>
  );
}
