// The parts of the task page the sidebar leads to, each with its own address (so reload, back and a shared link
// work) and the API query that lists it. Shared by the server page (reading the address) and the browser.

import type { Filter } from "./filters";

export type Section =
  | { kind: "all" }
  | { kind: "inbox" }
  | { kind: "today" }
  | { kind: "upcoming" }
  | { kind: "list"; id: string }
  | { kind: "tag"; name: string };

const VIEWS = ["inbox", "today", "upcoming"] as const;

const first = (value: string | string[] | null | undefined) => (Array.isArray(value) ? value[0] : value) ?? undefined;

/** `?view=today`, `?list=<id>`, `?tag=<name>`; anything else is All tasks. */
export function parseSection(params: Record<string, string | string[] | undefined>): Section {
  const view = first(params.view);
  const list = first(params.list);
  const tag = first(params.tag);
  if (list) return { kind: "list", id: list };
  if (tag) return { kind: "tag", name: tag };
  return VIEWS.find((known) => known === view) ? { kind: view as (typeof VIEWS)[number] } : { kind: "all" };
}

/** The page's address for a section, with the filter when it is not "all". */
export function sectionHref(section: Section, filter: Filter = "all"): string {
  const params = new URLSearchParams();
  if (section.kind === "list") params.set("list", section.id);
  else if (section.kind === "tag") params.set("tag", section.name);
  else if (section.kind !== "all") params.set("view", section.kind);
  if (filter !== "all") params.set("filter", filter);
  const query = params.toString();
  return query ? `/tasks?${query}` : "/tasks";
}

export const sameSection = (a: Section, b: Section) => sectionHref(a) === sectionHref(b);

/** Lists and the Inbox are in the user's own order, where tasks can be dragged. */
export const isOrdered = (section: Section) => section.kind === "inbox" || section.kind === "list";

/** The task API's query for a section: views in the browser's time zone, lists and the Inbox in manual order. */
export function sectionQuery(section: Section, timeZone: string): Record<string, string> {
  switch (section.kind) {
    case "all":
      return {};
    case "inbox":
      return { list_id: "inbox", sort: "position" };
    case "list":
      return { list_id: section.id, sort: "position" };
    case "tag":
      return { tag: section.name };
    case "today":
    case "upcoming":
      return { view: section.kind, tz: timeZone };
  }
}
