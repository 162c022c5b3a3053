"use client";

import { useEffect, useRef } from "react";
import { Dialog } from "@/components/ui/dialog";

/** What each key does, for the help sheet; the page binds them with `useShortcuts`. */
const SHORTCUTS = [
  { keys: ["q"], action: "Add a task" },
  { keys: ["/"], action: "Search" },
  { keys: ["j"], action: "Next task" },
  { keys: ["k"], action: "Previous task" },
  { keys: ["x"], action: "Complete the task" },
  { keys: ["e", "Enter"], action: "Open its details" },
  { keys: ["Delete"], action: "Delete the task" },
  { keys: ["g i"], action: "Go to Inbox" },
  { keys: ["g t"], action: "Go to Today" },
  { keys: ["g u"], action: "Go to Upcoming" },
  { keys: ["g a"], action: "Go to All tasks" },
  { keys: ["?"], action: "Show this help" },
  { keys: ["Esc"], action: "Close" },
] as const;

/** Time allowed between the keys of a sequence such as `g t`. */
const SEQUENCE_MS = 1000;
const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"]);

/** Keys typed here are text, not commands (nor the list's own undo). */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(target.type);
  return target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** Where Enter already means something (following a link, pressing a button). */
const ownsEnter = (target: EventTarget | null) =>
  target instanceof Element && target.closest("a[href], button, summary, input, select, [role='button']") !== null;

/**
 * Page-wide keys: `{ q: …, "g t": …, Enter: …, Escape: … }`, keyed by `KeyboardEvent.key`, a space between the keys
 * of a sequence. Ignored in text fields and open dialogs, with Ctrl, Alt or Cmd held, and once something else has handled the key.
 */
export function useShortcuts(map: Record<string, (event: KeyboardEvent) => void>, { enabled = true } = {}) {
  const latest = useRef(map);
  useEffect(() => {
    latest.current = map;
  });

  useEffect(() => {
    if (!enabled) return;
    let pending: { key: string; at: number } | null = null;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      // A modal (details, help) has the keyboard: the list behind it does not move.
      if (isTextField(event.target) || (event.target instanceof Element && event.target.closest("dialog[open]")))
        return;
      if (event.key === "Enter" && ownsEnter(event.target)) return;
      const bindings = latest.current;
      const sequence = pending && event.timeStamp - pending.at < SEQUENCE_MS ? `${pending.key} ${event.key}` : null;
      pending = null;
      const handler = (sequence && bindings[sequence]) || bindings[event.key];
      if (handler) {
        event.preventDefault();
        handler(event);
      } else if (Object.keys(bindings).some((binding) => binding.startsWith(`${event.key} `))) {
        pending = { key: event.key, at: event.timeStamp };
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [enabled]);
}

/** The `?` sheet: every shortcut and what it does. */
export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {SHORTCUTS.map(({ keys, action }) => (
          <div key={action} className="contents">
            <dt className="flex justify-end gap-1">
              {keys.map((key, index) => (
                <span key={key} className="inline-flex items-center gap-1">
                  {index > 0 ? <span className="text-zinc-500 dark:text-zinc-400">or</span> : null}
                  {key.split(" ").map((part, step) => (
                    <kbd
                      // biome-ignore lint/suspicious/noArrayIndexKey: a sequence may repeat a key; its place is its identity.
                      key={step}
                      className="min-w-6 rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 text-center font-mono text-xs dark:border-zinc-700 dark:bg-zinc-800"
                    >
                      {part}
                    </kbd>
                  ))}
                </span>
              ))}
            </dt>
            <dd className="text-zinc-700 dark:text-zinc-300">{action}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-4 text-xs text-zinc-600 dark:text-zinc-400">
        Sequences such as <kbd className="font-mono">g</kbd> then <kbd className="font-mono">t</kbd> are typed one key
        after the other. Keys typed in a text field stay text.
      </p>
    </Dialog>
  );
}
