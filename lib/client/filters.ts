// The list filters, shared by the server page (reading `?filter=`) and the client list.

export const FILTERS = ["all", "active", "completed"] as const;
export type Filter = (typeof FILTERS)[number];

export const FILTER_LABELS: Record<Filter, string> = { all: "All", active: "Active", completed: "Completed" };

export function parseFilter(value: string | string[] | null | undefined): Filter {
  const first = Array.isArray(value) ? value[0] : value;
  return FILTERS.find((filter) => filter === first) ?? "all";
}
