// What an import will write, worked out before anything is written: the lists (by name), the tags, the tasks in the
// order they are to appear, and what was refused or changed on the way. lib/transfer/import.ts carries it out.
import type { TaskCreate } from "../tasks/schema";
import type { ImportNote, Refusal } from "./schema";

export type Where = Pick<Refusal, "row" | "index">;

/** A list the import puts tasks in: one of the user's of this name (ignoring case), or a new one. */
type PlannedList = { key: string; name: string; where: Where };

/** A task to create in a planned list (`listKey`) or the Inbox (null). */
export type PlannedTask = { where: Where; listKey: string | null; body: Omit<TaskCreate, "list_id"> };

export type ImportPlan = {
  lists: PlannedList[];
  /** Tag names to make first, so a tag keeps the spelling the file gives it (and one no task carries is made too). */
  tags: string[];
  /** In the order they are to appear in each list, top first. */
  tasks: PlannedTask[];
  refused: Refusal[];
  notes: ImportNote[];
};
