import { expect } from "vitest";
import type { ChangeEvent, ChangesPage } from "@/lib/changes/schema";
import type { ListJson } from "@/lib/lists/schema";
import type { TagJson } from "@/lib/tags/schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "./app.ts";
import { listsOf, tagsOf } from "./organise.ts";
import { expectJson, tasksPath } from "./tasks.ts";
import type { TestUser } from "./users.ts";

export const changesPath = (user: { id: string }) => `/api/${user.id}/changes`;

/** `GET …/changes` with these parameters (undefined ones left out), the raw response. */
export function fetchChanges(user: TestUser, query: { since?: string; limit?: number | string } = {}, token?: string) {
  const search = new URLSearchParams();
  if (query.since !== undefined) search.set("since", query.since);
  if (query.limit !== undefined) search.set("limit", String(query.limit));
  const suffix = search.size > 0 ? `?${search}` : "";
  return call("GET", `${changesPath(user)}${suffix}`, { token: token ?? user.token });
}

export async function readChanges(user: TestUser, query: { since?: string; limit?: number } = {}) {
  return expectJson<ChangesPage>(await fetchChanges(user, query), 200);
}

/** A token for "now": the feed's answer without `since`. */
export async function feedNow(user: TestUser): Promise<string> {
  const page = await readChanges(user);
  expect(page.events).toEqual([]);
  return page.next;
}

/** Every event after `since`, page after page, until a page comes back short; and where to resume. */
export async function drain(
  user: TestUser,
  since: string,
  limit = 100,
): Promise<{ events: ChangeEvent[]; next: string }> {
  const events: ChangeEvent[] = [];
  let next = since;
  for (;;) {
    const page = await readChanges(user, { since: next, limit });
    events.push(...page.events);
    expect(page.next).toBe(page.events.at(-1)?.event_id ?? next);
    next = page.next;
    if (page.events.length < limit) return { events, next };
  }
}

/** What a client that follows the feed holds: every task, list and tag by id. */
export type Mirror = { tasks: Map<string, TaskJson>; lists: Map<string, ListJson>; tags: Map<string, TagJson> };

export const emptyMirror = (): Mirror => ({ tasks: new Map(), lists: new Map(), tags: new Map() });

/** Applies events in order, as a client does: an upsert replaces the object, a deletion removes it. */
export function apply(mirror: Mirror, events: ChangeEvent[]): Mirror {
  for (const event of events) {
    const [kind, what] = event.type.split(".") as ["task" | "list" | "tag", "upserted" | "deleted"];
    const map = (kind === "task" ? mirror.tasks : kind === "list" ? mirror.lists : mirror.tags) as Map<string, unknown>;
    if (what === "deleted") map.delete(event.id);
    else map.set(event.id, (event as { data: unknown }).data);
  }
  return mirror;
}

/** Every task of the user, all pages (as GET …/tasks answers them). */
export async function allTasks(user: TestUser): Promise<TaskJson[]> {
  const tasks: TaskJson[] = [];
  let path: string | undefined = `${tasksPath(user)}?limit=100`;
  while (path) {
    const response = await call("GET", path, { token: user.token });
    tasks.push(...(await expectJson<TaskJson[]>(response, 200)));
    const link = response.headers.get("link");
    const next = link ? new URL(link.slice(1, link.indexOf(">"))) : undefined;
    path = next && `${next.pathname}${next.search}`;
  }
  return tasks;
}

/** The account as the API reads it now, in the mirror's shape. */
export async function accountOf(user: TestUser): Promise<Mirror> {
  const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));
  return { tasks: byId(await allTasks(user)), lists: byId(await listsOf(user)), tags: byId(await tagsOf(user)) };
}

/** A mirror as sorted plain arrays, for toEqual. */
export const plain = (mirror: Mirror) => ({
  tasks: [...mirror.tasks.values()].sort((a, b) => a.id.localeCompare(b.id)),
  lists: [...mirror.lists.values()].sort((a, b) => a.id.localeCompare(b.id)),
  tags: [...mirror.tags.values()].sort((a, b) => a.id.localeCompare(b.id)),
});

/** The events' types and ids, for comparing a feed with what a test did. */
export const summary = (events: ChangeEvent[]) => events.map((event) => `${event.type} ${event.id}`);
