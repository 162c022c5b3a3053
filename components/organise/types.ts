import type { TaskJson, TaskSummaryJson } from "@/lib/tasks/schema";

/** A list as the lists API returns it. */
export type OrganiseList = {
  id: string;
  name: string;
  position: string;
  created_at: string;
  updated_at: string;
  version: number;
};

/** A tag as the tags API returns it. */
export type OrganiseTag = { id: string; name: string; task_count: number };

export type TaskSummary = TaskSummaryJson;

/** What the organise components read of a task. */
export type OrganiseTask = Pick<
  TaskJson,
  "id" | "title" | "description" | "list_id" | "due_date" | "due_time" | "priority" | "tags"
>;

/** Where the task list is looking: each has its own address (see `Sidebar`'s `hrefFor`). */
export type TaskView =
  | { kind: "all" }
  | { kind: "inbox" }
  | { kind: "today" }
  | { kind: "upcoming" }
  | { kind: "list"; id: string }
  | { kind: "tag"; name: string };

/**
 * What an action the server answers resolves to: a string is the message to show (the API's error, or "Couldn't
 * reach the server"); anything else means it worked.
 */
export type ActionResult = Promise<unknown>;
