"use client";

import { type KeyboardEvent, type ReactNode, type Ref, useState } from "react";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { DESCRIPTION_MAX_CHARS, liveErrors, type TaskFieldErrors, TITLE_MAX_CHARS } from "@/lib/client/task-form";
import { CharCounter, counterId } from "./char-counter";

/** Enter submits the form from a textarea too; Shift+Enter inserts a line break. */
export function submitOnEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
  if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
  event.preventDefault();
  event.currentTarget.form?.requestSubmit();
}

/**
 * The title and description of a task form (adding or editing): the values, and their errors, where a limit is
 * checked as you type and the rest (an empty title) only once submitted; typing in a field clears its submit error.
 */
export function useTaskFields(initial: { title: string; description: string } = { title: "", description: "" }) {
  const [title, setTitle] = useState(initial.title);
  const [description, setDescription] = useState(initial.description);
  const [submitErrors, setSubmitErrors] = useState<TaskFieldErrors>({});
  const live = liveErrors({ title, description });
  const errors: TaskFieldErrors = {
    title: live.title ?? submitErrors.title,
    description: live.description ?? submitErrors.description,
  };
  return {
    title,
    description,
    errors,
    setTitle,
    setDescription,
    setSubmitErrors,
    editTitle: (value: string) => {
      setTitle(value);
      setSubmitErrors(({ title: _, ...rest }) => rest);
    },
    editDescription: (value: string) => {
      setDescription(value);
      setSubmitErrors(({ description: _, ...rest }) => rest);
    },
  };
}

const LIMITS = { title: TITLE_MAX_CHARS, description: DESCRIPTION_MAX_CHARS } as const;

/**
 * A task's title (one line) or description (a growing textarea where Enter submits), with a counter from 80% of
 * the API's limit; until the counter shows, `hint` stands in its place.
 */
export function TaskTextField({
  kind,
  id,
  label,
  labelClassName,
  value,
  onChange,
  error,
  placeholder,
  hint,
  inputRef,
  enterKeyHint,
}: {
  kind: keyof typeof LIMITS;
  id: string;
  label: string;
  /** "sr-only" when the field's purpose is clear without a visible label (editing in place). */
  labelClassName?: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  placeholder: string;
  hint?: ReactNode;
  inputRef?: Ref<HTMLInputElement>;
  enterKeyHint?: "done";
}) {
  const max = LIMITS[kind];
  const counter = counterId(id, value, max);
  return (
    <Field
      id={id}
      label={label}
      labelClassName={labelClassName}
      error={error}
      describedBy={counter}
      aside={counter ? <CharCounter id={counter} value={value} max={max} /> : hint}
    >
      {(control) =>
        kind === "title" ? (
          <Input
            {...control}
            ref={inputRef}
            name={kind}
            autoComplete="off"
            enterKeyHint={enterKeyHint}
            placeholder={placeholder}
            value={value}
            onChange={(event) => onChange(event.target.value)}
          />
        ) : (
          <Textarea
            {...control}
            name={kind}
            rows={2}
            placeholder={placeholder}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            onKeyDown={submitOnEnter}
          />
        )
      }
    </Field>
  );
}
