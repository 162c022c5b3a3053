"use client";

import { XIcon } from "@/components/tasks/icons";
import { parseQuickAdd, type QuickAddResult, type QuickAddToken, withoutToken } from "@/lib/quick-add";
import type { TaskCreate } from "@/lib/tasks/schema";
import type { OrganiseList } from "./types";

const KIND_NAMES: Record<QuickAddToken["kind"], string> = {
  due: "due date",
  list: "list",
  priority: "priority",
  tag: "tag",
};

/** The add-task line read Todoist-style: "Pay rent tomorrow 9am #Home !high @bills". */
export function readQuickAdd(text: string, lists: Pick<OrganiseList, "id" | "name">[], timeZone: string) {
  return parseQuickAdd(text, {
    now: new Date(),
    timeZone,
    locale: typeof navigator === "undefined" ? "en" : navigator.language,
    lists,
  });
}

/**
 * The fields a line says, over what the current section implies when it does not (the list in a list view, today
 * in Today). Only fields with a value are sent, so a plain title is the seed's `{title, description}`.
 */
export function quickAddFields(parsed: QuickAddResult, defaults: Partial<TaskCreate>): Partial<TaskCreate> {
  const said = new Set(parsed.tokens.map((token) => token.kind));
  const fields: Partial<TaskCreate> = {
    due_date: said.has("due") ? parsed.due_date : defaults.due_date,
    due_time: said.has("due") ? parsed.due_time : defaults.due_time,
    list_id: said.has("list") ? parsed.list_id : defaults.list_id,
    priority: said.has("priority") ? parsed.priority : defaults.priority,
    tags: [...new Set([...(defaults.tags ?? []), ...parsed.tags])],
  };
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([, value]) =>
        value !== undefined && value !== null && value !== "none" && !(Array.isArray(value) && !value.length),
    ),
  );
}

/** What the line was understood to say, as chips; a chip's ✕ keeps its text in the title instead. */
export function QuickAddChips({
  text,
  parsed,
  onTextChange,
}: {
  text: string;
  parsed: QuickAddResult;
  onTextChange: (text: string) => void;
}) {
  if (parsed.tokens.length === 0) return null;
  return (
    <div className="flex flex-col gap-1.5 text-sm">
      <p className="text-zinc-700 dark:text-zinc-300">
        <span className="text-zinc-600 dark:text-zinc-400">Title: </span>
        <span className="font-medium break-words [overflow-wrap:anywhere]">{parsed.title || "—"}</span>
      </p>
      <ul aria-label="Understood" className="flex flex-wrap gap-1.5">
        {parsed.tokens.map((token) => (
          <li
            key={`${token.kind}-${token.start}`}
            className="inline-flex items-center gap-0.5 rounded-full bg-indigo-50 py-0.5 pr-0.5 pl-2.5 text-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100"
          >
            {token.label}
            <button
              type="button"
              aria-label={`Remove ${KIND_NAMES[token.kind]} ${token.label}`}
              onClick={() => onTextChange(withoutToken(text, token))}
              className="inline-flex size-6 items-center justify-center rounded-full hover:bg-indigo-100 dark:hover:bg-indigo-900 [&_svg]:size-3.5"
            >
              <XIcon />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
