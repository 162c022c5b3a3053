import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { type DueLabel, dueLabel } from "@/lib/client/due-label";
import { CalendarIcon, FlagIcon, TagIcon } from "./icons";
import { PRIORITY_COLOURS, PRIORITY_OPTIONS } from "./priority";
import type { OrganiseTask } from "./types";

/** "Due today, 09:00", "Overdue: yesterday", "Due Fri 5 Dec": what a screen reader hears for the date. */
function spokenDue(label: DueLabel): string {
  const day = label.relative ?? label.day;
  const when = label.time ? `${day}, ${label.time}` : day;
  return label.overdue ? `Overdue: ${when}` : `Due ${when}`;
}

/**
 * A task row's secondary line: when it is due (red when overdue), its priority (a flag and a word), its tags (links
 * to each tag's view). Nothing at all when the task has none of these.
 */
export function TaskMeta({
  task,
  today,
  now,
  locale,
  tagHref,
  className,
}: {
  task: Pick<OrganiseTask, "due_date" | "due_time" | "priority" | "tags">;
  /** `YYYY-MM-DD` and `HH:MM` in the user's time zone. */
  today: string;
  now?: string;
  locale: string;
  tagHref: (name: string) => string;
  className?: string;
}) {
  const due = dueLabel(task, { today, now, locale });
  const priority = PRIORITY_OPTIONS.find((option) => option.value === task.priority);
  if (!due && task.priority === "none" && task.tags.length === 0) return null;
  return (
    <div className={cn("flex flex-wrap items-center gap-x-3 gap-y-1 text-xs", className)}>
      {due ? (
        <span
          className={cn(
            "inline-flex items-center gap-1 [&_svg]:size-3.5",
            due.overdue ? "font-medium text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400",
          )}
        >
          <CalendarIcon />
          <span className="sr-only">{spokenDue(due)}</span>
          <time dateTime={due.dateTime} aria-hidden="true">
            {due.text}
          </time>
        </span>
      ) : null}
      {priority && task.priority !== "none" ? (
        <span
          className={cn("inline-flex items-center gap-1 font-medium [&_svg]:size-3.5", PRIORITY_COLOURS[task.priority])}
        >
          <FlagIcon />
          {priority.label}
          <span className="sr-only"> priority</span>
        </span>
      ) : null}
      {task.tags.length > 0 ? (
        <ul aria-label="Tags" className="flex flex-wrap gap-1">
          {task.tags.map((tag) => (
            <li key={tag}>
              <Link
                href={tagHref(tag)}
                className="inline-flex max-w-48 items-center gap-1 rounded-full bg-zinc-100 px-2 py-0.5 text-zinc-700 hover:bg-zinc-200 hover:text-zinc-900 dark:bg-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-700 dark:hover:text-white [&_svg]:size-3"
              >
                <TagIcon />
                <span className="sr-only">Tag </span>
                <span className="truncate">{tag}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
