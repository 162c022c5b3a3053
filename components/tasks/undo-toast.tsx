"use client";

import { Button } from "@/components/ui/button";
import type { UndoWindow } from "./use-undo-delete";

/**
 * "Task deleted" with an Undo button, at the bottom of the screen. The live region is always in the page so
 * that screen readers announce the message when it appears. Keyboard focus on the toast pauses the countdown.
 */
export function UndoToast({
  pending,
  durationMs,
  onUndo,
  onPause,
  onResume,
}: {
  pending: UndoWindow | null;
  durationMs: number;
  onUndo: () => void;
  onPause: () => void;
  onResume: () => void;
}) {
  return (
    <div
      role="status"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-40 flex justify-center px-4 pb-[max(1rem,env(safe-area-inset-bottom))]"
    >
      {pending ? (
        <div
          key={pending.task.id}
          className="group pointer-events-auto relative flex w-full max-w-md items-center gap-3 overflow-hidden rounded-xl bg-zinc-900 py-3 pr-3 pl-4 text-sm text-white shadow-lg ring-1 ring-black/10 dark:bg-zinc-100 dark:text-zinc-900 dark:ring-white/10"
        >
          <div className="min-w-0 flex-1">
            <p className="font-medium">Task deleted</p>
            <p className="truncate text-zinc-300 dark:text-zinc-700">{pending.task.title}</p>
          </div>
          <Button onClick={onUndo} onFocus={onPause} onBlur={onResume} size="sm" variant="inverse">
            Undo
          </Button>
          <span
            aria-hidden="true"
            className="absolute bottom-0 left-0 h-0.5 w-full origin-left bg-indigo-400 group-focus-within:[animation-play-state:paused] dark:bg-indigo-600"
            style={{ animation: `toast-countdown ${durationMs}ms linear forwards` }}
          />
        </div>
      ) : null}
    </div>
  );
}
