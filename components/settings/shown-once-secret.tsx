"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

/**
 * A secret the server gives this once (a token, a webhook's signing secret): a read-only field that selects itself
 * on focus, a Copy button, and a polite line saying whether the copy worked. When there is no clipboard
 * (permissions, an old browser) the text is selected so Ctrl+C copies it. The caller gives the wording around it and
 * its Done button (`actions`, beside Copy, or somewhere of its own).
 */
export function ShownOnceSecret({
  secret,
  label,
  copyFailedText,
  focusOnMount = false,
  actions,
  className,
  inputClassName,
  copyClassName,
  statusClassName,
  statusRole,
}: {
  secret: string;
  /** The field's accessible name. */
  label: string;
  /** Said when the clipboard refused. */
  copyFailedText: string;
  /** Focus and select the field as it appears (when nothing else on the page is being shown). */
  focusOnMount?: boolean;
  /** More buttons after Copy (Done). */
  actions?: ReactNode;
  /** The row of the field and the buttons. */
  className?: string;
  /** The field's border, colours and text size (its height and width are set here). */
  inputClassName?: string;
  copyClassName?: string;
  statusClassName?: string;
  /** `"status"` when no surrounding element is already a status region. */
  statusRole?: "status";
}) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | undefined>();

  useEffect(() => {
    if (!focusOnMount) return;
    field.current?.focus();
    field.current?.select();
  }, [focusOnMount]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      field.current?.select();
      setCopied("failed");
    }
  }

  return (
    <>
      <div className={className}>
        <input
          ref={field}
          readOnly
          value={secret}
          aria-label={label}
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
          className={cn("h-10 min-w-0 flex-1 font-mono", inputClassName)}
        />
        <div className="flex gap-2">
          <Button onClick={copy} className={copyClassName}>
            Copy
          </Button>
          {actions}
        </div>
      </div>
      <p role={statusRole} aria-live="polite" className={cn("min-h-5", statusClassName)}>
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? copyFailedText : ""}
      </p>
    </>
  );
}
