"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A signing secret, shown once: selectable, copyable, and gone when dismissed. */
export function SecretReveal({ secret, url, onDone }: { secret: string; url: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | undefined>();
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <Alert
      tone="info"
      role="status"
      title="Copy the signing secret now"
      action={
        <Button variant="secondary" size="sm" onClick={onDone}>
          Done
        </Button>
      }
    >
      <p>
        It signs every delivery to <span className="break-all font-medium">{url}</span>. This is the only time it is
        shown; if you lose it, roll a new one.
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <Input
          readOnly
          value={secret}
          aria-label="Signing secret"
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 font-mono text-sm sm:text-xs"
        />
        <Button variant="primary" size="md" onClick={copy}>
          Copy
        </Button>
      </div>
      <p aria-live="polite" className="mt-1 min-h-5 text-xs">
        {copied === "yes"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? "Could not copy: select it and copy."
            : ""}
      </p>
    </Alert>
  );
}
