// What `view=today|upcoming|overdue` means for one task, in code the browser runs too (to place a task it just
// changed, and to count a list it holds in full); lib/tasks/list.ts says the same to PostgreSQL.
import { addDays } from "../time-zone";
import { type TaskJson, type TaskView, UPCOMING_DAYS } from "./schema";

/** Today's date and the time now, on the user's wall clock (`YYYY-MM-DD`, `HH:MM`). */
export type WallClock = { date: string; time: string };

export function inView(
  view: TaskView,
  task: Pick<TaskJson, "completed" | "due_date" | "due_time">,
  now: WallClock,
): boolean {
  if (task.completed || task.due_date === null) return false;
  switch (view) {
    case "today":
      return task.due_date <= now.date;
    case "upcoming":
      return task.due_date >= now.date && task.due_date <= addDays(now.date, UPCOMING_DAYS - 1);
    case "overdue":
      return (
        task.due_date < now.date || (task.due_date === now.date && task.due_time !== null && task.due_time < now.time)
      );
  }
}
