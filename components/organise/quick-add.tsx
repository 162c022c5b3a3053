"use client";

import { type FormEvent, type Ref, useId, useState } from "react";
import { PlusIcon, XIcon } from "@/components/tasks/icons";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { parseQuickAdd, type QuickAddToken, withoutToken } from "@/lib/quick-add";
import { type TaskPriority, TITLE_MAX_CHARS } from "@/lib/tasks/schema";
import { charCount } from "@/lib/text";
import type { OrganiseList } from "./types";

export type QuickAddTask = {
  title: string;
  due_date: string | null;
  due_time: string | null;
  list_id: string | null;
  priority: TaskPriority;
  tags: string[];
};

const KIND_NAMES: Record<QuickAddToken["kind"], string> = {
  due: "due date",
  list: "list",
  priority: "priority",
  tag: "tag",
};

/**
 * The add-task line, Todoist-style: "Pay rent tomorrow 9am #Home !high @bills" is read as you type, what was
 * understood shows as chips (✕ keeps that text in the title instead), Enter adds the task.
 */
export function QuickAdd({
  lists,
  timeZone,
  defaults = {},
  onSubmit,
  inputRef,
}: {
  lists: Pick<OrganiseList, "id" | "name">[];
  /** The user's IANA time zone: "tomorrow" is tomorrow there. */
  timeZone: string;
  /** What the current view implies when the text does not say: the list in a list view, today in Today. */
  defaults?: Partial<QuickAddTask>;
  /** Resolves false when the task could not be added: the text stays for another try. */
  onSubmit: (task: QuickAddTask) => Promise<boolean> | boolean | undefined;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const parsed = parseQuickAdd(text, {
    now: new Date(),
    timeZone,
    locale: typeof navigator === "undefined" ? "en" : navigator.language,
    lists,
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (parsed.title === "")
      return setError("Give the task a title: what is left once dates, lists and tags are read.");
    if (charCount(parsed.title) > TITLE_MAX_CHARS) {
      return setError(`A title is at most ${TITLE_MAX_CHARS} characters.`);
    }
    const said = new Set(parsed.tokens.map((token) => token.kind));
    const dated = said.has("due");
    const task: QuickAddTask = {
      title: parsed.title,
      due_date: dated ? parsed.due_date : (defaults.due_date ?? null),
      due_time: dated ? parsed.due_time : (defaults.due_time ?? null),
      list_id: said.has("list") ? parsed.list_id : (defaults.list_id ?? null),
      priority: said.has("priority") ? parsed.priority : (defaults.priority ?? "none"),
      tags: [...new Set([...(defaults.tags ?? []), ...parsed.tags])],
    };
    setBusy(true);
    const added = await Promise.resolve(onSubmit(task)).finally(() => setBusy(false));
    if (added !== false) setText("");
  }

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-2">
      <label htmlFor={id} className="sr-only">
        Add a task
      </label>
      <div className="flex gap-2">
        <Input
          ref={inputRef}
          id={id}
          autoComplete="off"
          enterKeyHint="done"
          placeholder="Add a task"
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${hintId}` : hintId}
          onChange={(event) => {
            setText(event.target.value);
            setError(undefined);
          }}
        />
        <Button type="submit" disabled={busy} aria-label="Add task" className="max-sm:w-10 max-sm:px-0">
          <PlusIcon />
          <span className="max-sm:hidden">Add</span>
        </Button>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      {parsed.tokens.length > 0 ? (
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
                  onClick={() => setText(withoutToken(text, token))}
                  className="inline-flex size-6 items-center justify-center rounded-full hover:bg-indigo-100 dark:hover:bg-indigo-900 [&_svg]:size-3.5"
                >
                  <XIcon />
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
        Try: Pay rent tomorrow 9am #Home !high @bills
      </p>
    </form>
  );
}
