"use client";

import { type KeyboardEvent, useId, useState } from "react";
import { XIcon } from "@/components/tasks/icons";
import { fieldClasses } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { TAGS_PER_TASK_MAX, TagName } from "@/lib/tasks/schema";
import { nameKey } from "@/lib/text";

/** The tag `text` would add to `tags`, or why it cannot: the server's rules (1–50 characters, at most 20). */
function checkTag(text: string, tags: string[]): { tag: string } | { error: string } | null {
  const parsed = TagName.safeParse(text);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "tag is not valid";
    return text.trim() === "" ? null : { error: message.charAt(0).toUpperCase() + message.slice(1) };
  }
  if (tags.some((tag) => nameKey(tag) === nameKey(parsed.data))) return null;
  if (tags.length >= TAGS_PER_TASK_MAX) return { error: `A task has at most ${TAGS_PER_TASK_MAX} tags.` };
  return { tag: parsed.data };
}

/**
 * Tags as removable chips and a field that suggests the user's tags (`<datalist>`): Enter or a comma adds what is
 * typed, picking a suggestion adds it, Backspace in the empty field removes the last chip.
 */
export function TagInput({
  tags,
  suggestions,
  onChange,
}: {
  tags: string[];
  suggestions: string[];
  onChange: (tags: string[]) => void;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const id = useId();
  const listId = `${id}-suggestions`;
  const errorId = `${id}-error`;
  const chosen = new Set(tags.map(nameKey));

  const add = (value: string) => {
    const check = checkTag(value, tags);
    if (check && "error" in check) return setError(check.error);
    if (check) onChange([...tags, check.tag]);
    setText("");
    setError(undefined);
  };

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    if ((event.key === "Enter" && text.trim() !== "") || event.key === ",") {
      event.preventDefault();
      add(text);
    } else if (event.key === "Backspace" && text === "" && tags.length > 0) {
      event.preventDefault();
      onChange(tags.slice(0, -1));
    }
  }

  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>Tags</Label>
      {tags.length > 0 ? (
        <ul aria-label="Tags on this task" className="flex flex-wrap gap-1.5">
          {tags.map((tag) => (
            <li
              key={tag}
              className="inline-flex max-w-full items-center gap-0.5 rounded-full bg-zinc-100 py-0.5 pr-0.5 pl-2.5 text-sm text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"
            >
              <span className="truncate">{tag}</span>
              <button
                type="button"
                aria-label={`Remove tag ${tag}`}
                onClick={() => onChange(tags.filter((other) => other !== tag))}
                className="inline-flex size-6 shrink-0 items-center justify-center rounded-full text-zinc-600 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-white [&_svg]:size-3.5"
              >
                <XIcon />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        id={id}
        list={listId}
        autoComplete="off"
        enterKeyHint="enter"
        placeholder={tags.length >= TAGS_PER_TASK_MAX ? "20 tags at most" : "Add a tag"}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : `${id}-hint`}
        onKeyDown={onKeyDown}
        onChange={(event) => {
          const { value } = event.target;
          // Picking a suggestion (not typing) adds it at once.
          const picked =
            (event.nativeEvent as InputEvent).inputType === undefined ||
            (event.nativeEvent as InputEvent).inputType === "insertReplacementText";
          if (picked && suggestions.some((name) => name === value)) return add(value);
          setText(value);
          setError(undefined);
        }}
        onBlur={() => text.trim() !== "" && add(text)}
        className={`${fieldClasses} h-10`}
      />
      <datalist id={listId}>
        {suggestions
          .filter((name) => !chosen.has(nameKey(name)))
          .map((name) => (
            <option key={name} value={name} />
          ))}
      </datalist>
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          Enter or comma adds a tag; Backspace removes the last one.
        </p>
      )}
    </div>
  );
}
