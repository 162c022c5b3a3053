import "server-only";
import { db } from "../db";
import type { TaskSummaryJson } from "./schema";

/** A user's task counts in one query (`GROUP BY completed` on the user's rows of the `(user_id, …)` indexes). */
export async function taskSummary(userId: string): Promise<TaskSummaryJson> {
  const groups = await db().task.groupBy({ by: ["completed"], where: { userId }, _count: true });
  const count = (completed: boolean) => groups.find((group) => group.completed === completed)?._count ?? 0;
  const active = count(false);
  const completed = count(true);
  return { total: active + completed, active, completed };
}
