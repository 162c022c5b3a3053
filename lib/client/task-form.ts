// Client-side checks of the task form with the API's own zod schemas, so the form refuses exactly
// what the API would refuse, with the same limits, before anything is sent.

import {
  DESCRIPTION_MAX_CHARS,
  type TaskCreate,
  TaskCreateInput,
  type TaskPatch,
  TaskPatchInput,
  TITLE_MAX_CHARS,
} from "@/lib/tasks/schema";
import { capitalize } from "./tasks-api";

export { DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS };

export interface TaskFieldErrors {
  title?: string;
  description?: string;
}

export type TaskFormCheck<T> = { ok: true; data: T } | { ok: false; errors: TaskFieldErrors };

/** Characters as the API counts them: code points, so an emoji counts once. */
export function charCount(value: string): number {
  return [...value].length;
}

/** When to show a field's counter: from 80% of the limit. */
export function nearLimit(value: string, max: number): boolean {
  return charCount(value) >= Math.floor(max * 0.8);
}

function tooLong(label: string, value: string, max: number): string {
  const over = charCount(value) - max;
  return `${label} is too long: ${max.toLocaleString("en")} characters at most (${over.toLocaleString("en")} over).`;
}

/** Live errors shown while typing (only the limits; an empty title is reported on submit). */
export function liveErrors(values: { title: string; description: string }): TaskFieldErrors {
  const errors: TaskFieldErrors = {};
  if (charCount(values.title) > TITLE_MAX_CHARS) errors.title = tooLong("Title", values.title, TITLE_MAX_CHARS);
  if (charCount(values.description) > DESCRIPTION_MAX_CHARS) {
    errors.description = tooLong("Description", values.description, DESCRIPTION_MAX_CHARS);
  }
  return errors;
}

function collect(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  values: { title: string; description: string },
): TaskFieldErrors {
  const errors: TaskFieldErrors = {};
  for (const issue of issues) {
    const field = issue.path[0];
    if (field !== "title" && field !== "description") continue;
    errors[field] ??= capitalize(issue.message);
  }
  // Friendlier wording for the two common cases.
  if (errors.title && values.title.trim() === "") errors.title = "Enter a title.";
  return { ...errors, ...liveErrors(values) };
}

/** A new task: the title is trimmed by the schema; an empty description is left out. */
export function checkNewTask(values: { title: string; description: string }): TaskFormCheck<TaskCreate> {
  const input = values.description.trim() === "" ? { title: values.title } : values;
  const result = TaskCreateInput.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: collect(result.error.issues, values) };
}

/**
 * An edit: only the fields that changed (an empty description becomes null). `data` is undefined when
 * nothing changed.
 */
export function checkTaskEdit(
  original: { title: string; description: string | null },
  values: { title: string; description: string },
): TaskFormCheck<TaskPatch | undefined> {
  const patch: { title?: string; description?: string | null } = {};
  if (values.title !== original.title) patch.title = values.title;
  const description = values.description.trim() === "" ? null : values.description;
  if (description !== original.description) patch.description = description;
  if (Object.keys(patch).length === 0) return { ok: true, data: undefined };
  const result = TaskPatchInput.safeParse(patch);
  if (!result.success) return { ok: false, errors: collect(result.error.issues, values) };
  // Trimming may leave the title as it was.
  if (result.data.title === original.title) delete result.data.title;
  return { ok: true, data: Object.keys(result.data).length > 0 ? result.data : undefined };
}
