import type { ListJson } from "@/lib/lists/schema";
import type { TagJson } from "@/lib/tags/schema";
import type { TaskJson, TaskSummaryJson } from "@/lib/tasks/schema";

/** A list as the lists API returns it. */
export type OrganiseList = ListJson;

/** A tag as the tags API returns it. */
export type OrganiseTag = TagJson;

export type TaskSummary = TaskSummaryJson;

/** What the organise components read of a task. */
export type OrganiseTask = Pick<
  TaskJson,
  "id" | "title" | "description" | "list_id" | "due_date" | "due_time" | "priority" | "tags"
>;

/**
 * What an action the server answers resolves to: a string is the message to show (the API's error, or "Couldn't
 * reach the server"); anything else means it worked.
 */
export type ActionResult = Promise<unknown>;
