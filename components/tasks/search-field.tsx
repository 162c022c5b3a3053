"use client";

import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { TASK_SEARCH_MAX_CHARS } from "@/lib/tasks/schema";
import { SearchIcon } from "./icons";

/** How long typing must pause before the search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

export interface DebouncedSearch {
  /** What is in the field. */
  text: string;
  setText: (text: string) => void;
  /** What the list asks for (`q=`): the text, trimmed, once typing has paused. */
  query: string;
  /** Empties the field and the search at once. */
  clear: () => void;
}

export function useDebouncedSearch(): DebouncedSearch {
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return {
    text,
    setText,
    query,
    clear: () => {
      setText("");
      setQuery("");
    },
  };
}

/** "Search" (titles and descriptions, on the server); Escape clears it. */
export function SearchField({ search, className }: { search: DebouncedSearch; className?: string }) {
  return (
    <search className={cn("relative block", className)}>
      <label htmlFor="task-search" className="sr-only">
        Search
      </label>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-500 dark:text-zinc-400" />
      <Input
        id="task-search"
        type="search"
        name="q"
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="search"
        maxLength={TASK_SEARCH_MAX_CHARS}
        placeholder="Search titles and descriptions"
        className="pl-9"
        value={search.text}
        onChange={(event) => search.setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== "Escape" || search.text === "") return;
          event.preventDefault();
          search.clear();
        }}
      />
    </search>
  );
}
