import "server-only";
import type { ServerPage } from "@/components/tasks/task-queries";
import { readChanges } from "@/lib/changes/feed";
import type { Filter } from "@/lib/client/filters";
import type { Section } from "@/lib/client/sections";
import { taskListSearch } from "@/lib/client/tasks-api";
import { ApiError } from "@/lib/http/errors";
import { log } from "@/lib/log";
import { userTimeZone } from "@/lib/settings/repository";
import { listTaskPage, parseTaskListQuery } from "@/lib/tasks/list";
import { toTaskJson } from "@/lib/tasks/repository";

/**
 * The first page of a section of the signed-in user's tasks, read on the server as `GET /api/{userId}/tasks` would
 * answer the browser (the same query string, the same domain function, the same JSON), so the page shows it at once
 * and the browser's cache takes it over. `userId` is the session's own: nobody else's tasks are read here.
 *
 * Today and Upcoming are read in the account's time zone, which the page keeps the browser's; the browser reads the
 * page again in its own anyway. A query the API would refuse (a malformed list id) is left to the browser, which
 * shows the refusal as it always has.
 */
export async function firstTaskPage(userId: string, section: Section, filter: Filter): Promise<ServerPage | undefined> {
  try {
    // The feed's position is read before the page (never after), so a change between the two is streamed, not lost.
    const [timeZone, { next: changesSince }] = await Promise.all([
      userTimeZone(userId),
      readChanges(userId, { limit: 1 }),
    ]);
    const completed = filter === "all" ? undefined : filter === "completed";
    const collection = `/api/${encodeURIComponent(userId)}/tasks`;
    const url = new URL(`${collection}${taskListSearch({ completed, section, timeZone })}`, "http://localhost");
    const { tasks, nextCursor } = await listTaskPage(userId, parseTaskListQuery(url.href));
    let next: string | undefined;
    if (nextCursor) {
      url.searchParams.set("cursor", nextCursor);
      next = `${url.pathname}${url.search}`;
    }
    return { section, filter, page: { tasks: tasks.map(toTaskJson), next }, timeZone, changesSince };
  } catch (error) {
    if (!(error instanceof ApiError)) log("error", "tasks page: first page not read", { error: String(error) });
    return undefined;
  }
}
