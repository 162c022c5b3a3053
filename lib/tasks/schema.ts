import { z } from "zod";

export const TITLE_MAX_CHARS = 500;
export const DESCRIPTION_MAX_CHARS = 5000;

// PostgreSQL's VARCHAR(n) counts characters (code points), so an emoji counts once, as people expect.
const charCount = (value: string) => [...value].length;

function text(label: string, max: number, { trim = false } = {}) {
  const string = z.string({
    error: (issue) => (issue.input === null ? `${label} cannot be null` : `${label} must be a string`),
  });
  return (trim ? string.trim() : string)
    .refine((value) => value.isWellFormed(), `${label} must be valid Unicode (no lone surrogates)`)
    .refine((value) => !value.includes("\u0000"), `${label} must not contain NUL characters`)
    .refine((value) => charCount(value) <= max, `${label} must be at most ${max} characters`);
}

export const TaskTitle = text("title", TITLE_MAX_CHARS, { trim: true }).refine(
  (value) => value.length > 0,
  "title must not be empty",
);

export const TaskDescription = text("description", DESCRIPTION_MAX_CHARS).nullable();

const TaskCompleted = z.boolean({ error: "completed must be true or false" });

export const TaskCreateInput = z.strictObject({
  title: TaskTitle,
  description: TaskDescription.optional(),
  completed: TaskCompleted.optional(),
});

export const TaskReplaceInput = z.strictObject({
  title: TaskTitle,
  description: TaskDescription,
  completed: TaskCompleted,
});

export const TaskPatchInput = z
  .strictObject({
    title: TaskTitle.optional(),
    description: TaskDescription.optional(),
    completed: TaskCompleted.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "send at least one of title, description, completed");

export const TaskId = z.uuid();

export const TaskJson = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  user_id: z.string(),
});

export type TaskCreate = z.infer<typeof TaskCreateInput>;
export type TaskReplace = z.infer<typeof TaskReplaceInput>;
export type TaskPatch = z.infer<typeof TaskPatchInput>;
export type TaskJson = z.infer<typeof TaskJson>;
