import { type TaskPatch, TaskPatchInput, type TaskPriority } from "@/lib/tasks/schema";
import { nameKey } from "@/lib/text";
import type { OrganiseTask } from "./types";

/** The detail panel's fields as the user left them ("" for none). */
export type TaskDraft = {
  title: string;
  description: string;
  due_date: string;
  due_time: string;
  list_id: string;
  priority: TaskPriority;
  tags: string[];
};

export type DraftErrors = Partial<Record<"title" | "description" | "due_time" | "tags", string>>;

export const draftOf = (task: OrganiseTask): TaskDraft => ({
  title: task.title,
  description: task.description ?? "",
  due_date: task.due_date ?? "",
  due_time: task.due_time ?? "",
  list_id: task.list_id ?? "",
  priority: task.priority,
  tags: task.tags,
});

const sameTags = (a: string[], b: string[]) =>
  a.length === b.length && a.map(nameKey).sort().join("\n") === b.map(nameKey).sort().join("\n");

/**
 * The fields that changed, checked with the API's own schema: `{ ok: true, patch: undefined }` when nothing did.
 * The title is compared trimmed, an empty description is null, a time without a date is dropped.
 */
export function patchOf(
  task: OrganiseTask,
  draft: TaskDraft,
): { ok: true; patch: TaskPatch | undefined } | { ok: false; errors: DraftErrors } {
  const dueDate = draft.due_date || null;
  const next = {
    title: draft.title.trim(),
    description: draft.description.trim() === "" ? null : draft.description,
    due_date: dueDate,
    due_time: dueDate && draft.due_time ? draft.due_time : null,
    list_id: draft.list_id || null,
    priority: draft.priority,
  };
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(next)) {
    if (value !== task[field as keyof typeof next]) patch[field] = value;
  }
  if (!sameTags(draft.tags, task.tags)) patch.tags = draft.tags;
  if (Object.keys(patch).length === 0) return { ok: true, patch: undefined };

  const result = TaskPatchInput.safeParse(patch);
  if (result.success) return { ok: true, patch: result.data };
  const errors: DraftErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as keyof DraftErrors;
    errors[field] ??= issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  }
  if (errors.title && next.title === "") errors.title = "Enter a title.";
  return { ok: false, errors };
}
