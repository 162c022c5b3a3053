"use client";

import { Button } from "@/components/ui/button";
import type { CreatedPersonalToken } from "@/lib/client/tokens-api";
import { ShownOnceSecret } from "./shown-once-secret";
import { SCOPE_LABEL } from "./token-text";

/** The secret of the token just made, shown this once, with a copy button; gone when dismissed or the page leaves. */
export function NewTokenSecret({ token, onDone }: { token: CreatedPersonalToken; onDone: () => void }) {
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
      <ShownOnceSecret
        secret={token.secret}
        label="Your new token"
        copyFailedText="Press Ctrl+C (⌘C) to copy it."
        focusOnMount
        className="flex flex-col gap-2 sm:flex-row"
        inputClassName="rounded-lg border border-emerald-400 bg-white px-3 text-sm text-zinc-900 dark:border-emerald-800 dark:bg-zinc-950 dark:text-zinc-100"
        copyClassName="flex-1 sm:flex-none"
        actions={
          <Button variant="secondary" onClick={onDone} className="flex-1 sm:flex-none">
            Done
          </Button>
        }
        statusRole="status"
        statusClassName="text-sm text-emerald-900 dark:text-emerald-200"
      />
    </section>
  );
}
