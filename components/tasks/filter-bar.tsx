"use client";

import { cn } from "@/components/ui/cn";
import { FILTER_LABELS, FILTERS, type Filter } from "@/lib/client/filters";

/** A group of toggle buttons (aria-pressed): one is on. Counts are part of each button's name: "Active (2)". */
export function FilterBar({
  value,
  counts,
  onChange,
}: {
  value: Filter;
  counts: Record<Filter, number> | undefined;
  onChange: (filter: Filter) => void;
}) {
  return (
    <fieldset className="inline-flex w-full rounded-lg border border-zinc-200 bg-zinc-100 p-1 sm:w-auto dark:border-zinc-800 dark:bg-zinc-900">
      <legend className="sr-only">Show tasks</legend>
      {FILTERS.map((filter) => {
        const pressed = filter === value;
        return (
          <button
            key={filter}
            type="button"
            aria-pressed={pressed}
            onClick={() => onChange(filter)}
            className={cn(
              "flex-1 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-colors sm:flex-none",
              pressed
                ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-white"
                : "text-zinc-700 hover:bg-white/60 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white",
            )}
          >
            {FILTER_LABELS[filter]}
            {counts ? (
              <span className={cn("tabular-nums", pressed ? "text-zinc-600 dark:text-zinc-300" : "")}>
                {" "}
                ({counts[filter]})
              </span>
            ) : null}
          </button>
        );
      })}
    </fieldset>
  );
}
