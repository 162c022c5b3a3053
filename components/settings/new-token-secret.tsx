"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { CreatedPersonalToken } from "@/lib/client/tokens-api";
import { SCOPE_LABEL } from "./token-text";

/** The secret of the token just made, shown this once, with a copy button; gone when dismissed or the page leaves. */
export function NewTokenSecret({ token, onDone }: { token: CreatedPersonalToken; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | undefined>();

  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.secret);
      setCopied("yes");
    } catch {
      // No clipboard (permissions, an old browser): the text is selected for Ctrl+C instead.
      field.current?.select();
      setCopied("no");
    }
  }

  return (
    <section
      aria-labelledby="new-token-title"
      className="space-y-3 rounded-xl border border-emerald-300 bg-emerald-50 p-4 sm:p-5 dark:border-emerald-900 dark:bg-emerald-950/40"
    >
      <div>
        <h3 id="new-token-title" className="font-semibold text-emerald-950 dark:text-emerald-100">
          “{token.name}” is ready ({SCOPE_LABEL[token.scope].toLowerCase()})
        </h3>
        <p className="mt-1 text-sm text-emerald-900 dark:text-emerald-200">
          <strong>Copy it now: you won’t see it again.</strong> Only a fingerprint of it is stored, so it cannot be
          shown a second time. Keep it somewhere safe, like a password.
        </p>
      </div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <label htmlFor="new-token-secret" className="sr-only">
          Your new token
        </label>
        <input
          id="new-token-secret"
          ref={field}
          readOnly
          value={token.secret}
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
          className="h-10 min-w-0 flex-1 rounded-lg border border-emerald-400 bg-white px-3 font-mono text-sm text-zinc-900 dark:border-emerald-800 dark:bg-zinc-950 dark:text-zinc-100"
        />
        <div className="flex gap-2">
          <Button onClick={copy} className="flex-1 sm:flex-none">
            Copy
          </Button>
          <Button variant="secondary" onClick={onDone} className="flex-1 sm:flex-none">
            Done
          </Button>
        </div>
      </div>
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-emerald-900 dark:text-emerald-200">
        {copied === "yes" ? "Copied to the clipboard." : copied === "no" ? "Press Ctrl+C (⌘C) to copy it." : ""}
      </p>
    </section>
  );
}
