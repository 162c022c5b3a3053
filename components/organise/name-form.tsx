"use client";

import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "./types";

/**
 * One name field with Save and Cancel, for a new list or a rename in place: it checks the name first, then shows
 * the server's error if the action resolves to one; Esc cancels.
 */
export function NameForm({
  label,
  initial = "",
  submitLabel,
  check,
  onSubmit,
  onCancel,
}: {
  label: string;
  initial?: string;
  submitLabel: string;
  check: (name: string) => string | undefined;
  onSubmit: (name: string) => ActionResult;
  onCancel: () => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (trimmed === initial.trim() && initial !== "") return onCancel();
    const problem = check(trimmed);
    if (problem) return setError(problem);
    setBusy(true);
    const failure = await onSubmit(trimmed).finally(() => setBusy(false));
    if (typeof failure === "string") setError(failure);
  }

  return (
    <form
      noValidate
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        // Esc leaves the form, not the drawer around it.
        event.preventDefault();
        event.stopPropagation();
        onCancel();
      }}
      className="flex flex-col gap-2 px-2 py-1"
    >
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Input
        id={id}
        autoFocus
        autoComplete="off"
        value={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          setName(event.target.value);
          setError(undefined);
        }}
        className="h-9"
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
