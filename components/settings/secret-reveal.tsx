"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { fieldClasses } from "@/components/ui/input";
import { ShownOnceSecret } from "./shown-once-secret";

/** A signing secret, shown once: selectable, copyable, and gone when dismissed. */
export function SecretReveal({ secret, url, onDone }: { secret: string; url: string; onDone: () => void }) {
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
      <ShownOnceSecret
        secret={secret}
        label="Signing secret"
        copyFailedText="Could not copy: select it and copy."
        className="mt-2 flex flex-wrap items-center gap-2"
        inputClassName={cn(fieldClasses, "text-sm sm:text-xs")}
        statusClassName="mt-1 text-xs"
      />
    </Alert>
  );
}
