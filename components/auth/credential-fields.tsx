"use client";

import type { ReactNode, Ref } from "react";
import { z } from "zod";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PasswordInput } from "@/components/ui/password-input";

export const INVALID_EMAIL = "Enter a valid email address, like ada@example.com.";

/** The email's problem before anything is sent (empty, or not an address), if any. */
export function checkEmail(value: string): string | undefined {
  if (value.trim() === "") return "Enter your email address.";
  if (!z.email().safeParse(value.trim()).success) return INVALID_EMAIL;
  return undefined;
}

/** The "Email" field of the sign-in and sign-up forms: an email keyboard, no autocapitalisation or spellcheck. */
export function EmailField({
  value,
  onChange,
  error,
  describedBy,
  inputRef,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  /** Id of an element that also describes the field (the form's error). */
  describedBy?: string;
  inputRef: Ref<HTMLInputElement>;
}) {
  return (
    <Field id="email" label="Email" error={error} describedBy={describedBy}>
      {(control) => (
        <Input
          {...control}
          ref={inputRef}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** The "Password" field of the sign-in and sign-up forms, with its Show/Hide toggle. */
export function PasswordField({
  value,
  onChange,
  error,
  describedBy,
  hint,
  inputRef,
  autoComplete,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  describedBy?: string;
  hint?: ReactNode;
  inputRef: Ref<HTMLInputElement>;
  autoComplete: "current-password" | "new-password";
}) {
  return (
    <Field id="password" label="Password" error={error} hint={hint} describedBy={describedBy}>
      {(control) => (
        <PasswordInput
          {...control}
          ref={inputRef}
          name="password"
          autoComplete={autoComplete}
          required
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
