import type { TaskPriority } from "@/lib/tasks/schema";

export const PRIORITY_OPTIONS = [
  { value: "none", label: "None" },
  { value: "low", label: "Low" },
  { value: "medium", label: "Medium" },
  { value: "high", label: "High" },
] as const satisfies { value: TaskPriority; label: string }[];

/** The flag's colour; the word goes with it, so colour is never the only cue. */
export const PRIORITY_COLOURS: Record<TaskPriority, string> = {
  none: "text-zinc-500 dark:text-zinc-400",
  low: "text-sky-700 dark:text-sky-400",
  medium: "text-amber-700 dark:text-amber-400",
  high: "text-red-700 dark:text-red-400",
};
