import "server-only";
import { db } from "../db";
import { validateQuery } from "../http/validate";
import { userTimeZone } from "../settings/repository";
import { viewFilter } from "./list";
import { TASK_VIEWS, type TaskSummaryJson, TaskSummaryQuery, type TaskView } from "./schema";

export function parseTaskSummaryQuery(url: string): TaskSummaryQuery {
  return validateQuery(TaskSummaryQuery, url);
}

const byId = <Key extends string>(groups: { key: Key | null; count: number }[]) =>
  Object.fromEntries(groups.flatMap(({ key, count }) => (key === null ? [] : [[key, count]])));

/** A user's task counts, each one grouped query on the user's rows of the `(user_id, …)` indexes, run together. */
export async function taskSummary(userId: string, query: TaskSummaryQuery): Promise<TaskSummaryJson> {
  const timeZone = query.tz ?? (await userTimeZone(userId));
  const open = { userId, completed: false };
  const [states, lists, tags, ...views] = await Promise.all([
    db().task.groupBy({ by: ["completed"], where: { userId }, _count: true }),
    db().task.groupBy({ by: ["listId"], where: open, _count: true }),
    db().taskTag.groupBy({ by: ["tagId"], where: { task: open }, _count: true }),
    ...TASK_VIEWS.map((view) => db().task.count({ where: { userId, ...viewFilter(view, timeZone) } })),
  ]);
  const count = (completed: boolean) => states.find((group) => group.completed === completed)?._count ?? 0;
  const active = count(false);
  const completed = count(true);
  return {
    total: active + completed,
    active,
    completed,
    inbox: lists.find((group) => group.listId === null)?._count ?? 0,
    views: Object.fromEntries(TASK_VIEWS.map((view, index) => [view, views[index] ?? 0])) as Record<TaskView, number>,
    lists: byId(lists.map((group) => ({ key: group.listId, count: group._count }))),
    tags: byId(tags.map((group) => ({ key: group.tagId, count: group._count }))),
  };
}
