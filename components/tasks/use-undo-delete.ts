"use client";

import { useEffect, useEffectEvent, useState } from "react";
import { isTextField } from "@/components/organise/shortcuts";
import type { UiTask } from "./task-keys";

/** How long a deleted task can be brought back before the DELETE is sent. */
export const UNDO_MS = 5000;

/** After the toast loses focus, at least this long is left to come back to it. */
const RESUME_MIN_MS = 1500;

/** Deletes still owed after the page was left during an undo window (sent again on the next load). */
const OWED_DELETES_KEY = "tasks:owed-deletes";

export interface UndoWindow {
  task: UiTask;
  /** Local clock, ms; undefined while paused. */
  deadline: number | undefined;
  /** What is left of the window while paused. */
  remaining: number;
}

function readOwedDeletes(): string[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(OWED_DELETES_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

function writeOwedDeletes(ids: string[]) {
  try {
    if (ids.length === 0) sessionStorage.removeItem(OWED_DELETES_KEY);
    else sessionStorage.setItem(OWED_DELETES_KEY, JSON.stringify(ids));
  } catch {
    // Storage may be unavailable (private mode quotas): the keepalive request is then the only attempt.
  }
}

interface UndoDeleteActions {
  /** Takes the task out of sight (and out of the counts) for the window. */
  hide: (task: UiTask) => unknown;
  /** Brings it back (Undo, Ctrl+Z). */
  restore: (task: UiTask) => void;
  /** The window has closed: the DELETE goes out. */
  send: (task: UiTask) => Promise<void>;
  /** The page is being left during the window: a DELETE that outlives it. */
  sendOnLeave: (task: UiTask) => void;
  /** Deletes owed from a page left during a window, sent before anything is listed. */
  sendOwed: (taskIds: string[]) => Promise<void>;
}

/**
 * Delete with undo: the task disappears at once and the DELETE waits `UNDO_MS`; focus on the toast pauses the
 * countdown, Ctrl+Z (outside text fields) undoes, a newer delete sends the older one at once. Leaving the page
 * sends it with keepalive and remembers it in sessionStorage, to be sent again on the next load.
 */
export function useUndoDelete(actions: UndoDeleteActions) {
  const [open, setOpen] = useState<UndoWindow | null>(null);
  const [owed] = useState(readOwedDeletes);
  const [owedSent, setOwedSent] = useState(owed.length === 0);

  const sendOwed = useEffectEvent(() => {
    writeOwedDeletes([]);
    void actions.sendOwed(owed).finally(() => setOwedSent(true));
  });
  useEffect(() => {
    if (owed.length > 0) sendOwed();
  }, [owed]);

  const close = useEffectEvent((closing: UndoWindow) => {
    setOpen(null);
    void actions.send(closing.task);
  });
  useEffect(() => {
    if (open?.deadline === undefined) return;
    const timer = setTimeout(() => close(open), open.deadline - Date.now());
    return () => clearTimeout(timer);
  }, [open]);

  function start(task: UiTask) {
    if (task.pending) return;
    if (open) void actions.send(open.task);
    void actions.hide(task);
    setOpen({ task, deadline: Date.now() + UNDO_MS, remaining: UNDO_MS });
  }

  function undo() {
    if (!open) return;
    setOpen(null);
    actions.restore(open.task);
  }

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.key.toLowerCase() !== "z") return;
    if (isTextField(event.target)) return;
    event.preventDefault();
    undo();
  });
  const undoable = open !== null;
  useEffect(() => {
    if (!undoable) return;
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [undoable]);

  // Leaving the page (reload, close, navigation) ends the window: the DELETE goes in a request that outlives the
  // page, and is remembered in case it does not arrive before the next load.
  const leave = useEffectEvent(() => {
    if (!open) return;
    setOpen(null);
    writeOwedDeletes([...readOwedDeletes(), open.task.id]);
    actions.sendOnLeave(open.task);
  });
  useEffect(() => {
    window.addEventListener("pagehide", leave);
    return () => {
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, []);

  return {
    open,
    /** False until the deletes owed from a previous visit are settled: the list waits for them. */
    owedSent,
    start,
    undo,
    /** While the user is on the toast (keyboard focus), the window does not run out. */
    pause: () =>
      setOpen((w) =>
        w?.deadline === undefined ? w : { ...w, deadline: undefined, remaining: Math.max(0, w.deadline - Date.now()) },
      ),
    resume: () =>
      setOpen((w) =>
        w && w.deadline === undefined ? { ...w, deadline: Date.now() + Math.max(w.remaining, RESUME_MIN_MS) } : w,
      ),
    /** Sends the waiting DELETE now, and waits for it (before signing out). */
    flush: async () => {
      if (!open) return;
      setOpen(null);
      await actions.send(open.task);
    },
  };
}
