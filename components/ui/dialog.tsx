"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import { XIcon } from "@/components/tasks/icons";
import { Button } from "./button";
import { cn } from "./cn";

const variants = {
  /** A box in the middle of the screen (a confirmation, the shortcut help). */
  center: "m-auto w-[calc(100%-2rem)] max-w-md max-h-[calc(100dvh-2rem)] rounded-xl border",
  /** Full screen on a phone; from 768 px a sheet on the right (task details). */
  sheet:
    "m-0 h-dvh max-h-none w-full max-w-none md:ml-auto md:w-[28rem] md:border-l md:shadow-2xl md:dark:border-zinc-800",
  /** A panel from the left (the navigation at phone widths). */
  drawer: "m-0 mr-auto h-dvh max-h-none w-[min(20rem,88vw)] border-r",
} as const;

export interface DialogProps {
  open: boolean;
  /** Called on Esc, the ✕ button or a click on the backdrop; the parent sets `open` to false. */
  onClose: () => void;
  title: ReactNode;
  variant?: keyof typeof variants;
  /** Actions along the bottom edge (Save, Cancel). */
  footer?: ReactNode;
  className?: string;
  children: ReactNode;
}

/**
 * A modal `<dialog>`: the browser traps focus, makes the page behind inert and closes it on Esc. Its content is
 * only rendered while open, so every opening starts afresh. Focus goes back where it was when it closes.
 */
export function Dialog({ open, onClose, title, variant = "center", footer, className, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    return () => {
      dialog.close();
      // Browsers that do not restore focus on close leave it on the body.
      if (opener?.isConnected && (document.activeElement === document.body || document.activeElement === null)) {
        opener.focus();
      }
    };
  }, [open]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click is on the backdrop; Esc is the keyboard's way out.
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // Chrome may close on a second Esc despite preventDefault: the parent hears of it all the same.
      // (Not when the effect's cleanup closed it to open it again at once, as React's strict mode does.)
      onClose={(event) => {
        if (open && !event.currentTarget.open) onClose();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      className={cn(
        "border-zinc-200 bg-white p-0 text-zinc-900 backdrop:bg-zinc-950/50 open:flex open:flex-col dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100",
        variants[variant],
        className,
      )}
    >
      {open ? (
        <>
          <div className="flex items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
            <h2 id={titleId} className="text-base font-semibold tracking-tight">
              {title}
            </h2>
            <Button variant="ghost" size="sm" aria-label="Close" onClick={onClose} className="-mr-1.5 size-8 px-0">
              <XIcon />
            </Button>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto px-4 py-4">{children}</div>
          {footer ? (
            <div className="flex flex-wrap items-center justify-end gap-2 border-t border-zinc-200 px-4 py-3 dark:border-zinc-800">
              {footer}
            </div>
          ) : null}
        </>
      ) : null}
    </dialog>
  );
}
