"use client";

import Link from "next/link";
import { type FormEvent, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NAME_MAX_CHARS, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from "@/lib/auth/credential-rules";
import { describeAuthFailure, signUpWithEmail } from "@/lib/client/auth-client";
import { DEFAULT_AFTER_SIGN_IN, withNext } from "@/lib/client/next-path";
import { charCount } from "@/lib/text";
import { checkEmail, EmailField, INVALID_EMAIL, PasswordField } from "./credential-fields";
import { Spinner } from "./spinner";

// The server's rules, checked here first so that a mistake costs no round trip.
interface Errors {
  name?: string;
  email?: string;
  password?: string;
  form?: string;
}

export function SignUpForm({ next }: { next?: string }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  const refs = {
    name: useRef<HTMLInputElement>(null),
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
  };

  function show(found: Errors) {
    setErrors(found);
    const first = (["name", "email", "password"] as const).find((field) => found[field]);
    if (first) refs[first].current?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const found: Errors = {};
    if (name.trim() === "") found.name = "Enter your name.";
    else if (charCount(name.trim()) > NAME_MAX_CHARS) found.name = `Name must be at most ${NAME_MAX_CHARS} characters.`;
    const emailProblem = checkEmail(email);
    if (emailProblem) found.email = emailProblem;
    if (password.length < PASSWORD_MIN_CHARS) {
      found.password = `Password must be at least ${PASSWORD_MIN_CHARS} characters.`;
    } else if (password.length > PASSWORD_MAX_CHARS) {
      found.password = `Password must be at most ${PASSWORD_MAX_CHARS} characters.`;
    }
    show(found);
    if (Object.keys(found).length > 0) return;

    setSubmitting(true);
    const result = await signUpWithEmail({ name: name.trim(), email: email.trim(), password });
    if (result.ok) {
      // A full page load: the server renders the next page with the new session cookie, and nothing of the
      // signed-out page (router cache, announcer) carries over.
      window.location.replace(next ?? DEFAULT_AFTER_SIGN_IN);
      return;
    }
    setSubmitting(false);
    const { error } = result;
    switch (error.code) {
      case "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL":
      case "USER_ALREADY_EXISTS":
        return show({ email: "An account with this email already exists. Sign in, or use another email." });
      case "INVALID_EMAIL":
        return show({ email: INVALID_EMAIL });
      case "NAME_TOO_LONG":
        return show({ name: serverSentence(error.message, `Name must be at most ${NAME_MAX_CHARS} characters.`) });
      case "PASSWORD_TOO_SHORT":
      case "PASSWORD_TOO_LONG":
        // The server's own words, in case its rules are stricter than ours.
        return show({ password: serverSentence(error.message, "The server refused this password.") });
      default:
        return show({ form: describeAuthFailure(error, "sign up") });
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-5" aria-busy={submitting}>
      {errors.form ? <Alert role="alert">{errors.form}</Alert> : null}
      <Field id="name" label="Name" error={errors.name}>
        {(control) => (
          <Input
            {...control}
            ref={refs.name}
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <EmailField value={email} onChange={setEmail} error={errors.email} inputRef={refs.email} />
      <PasswordField
        value={password}
        onChange={setPassword}
        error={errors.password}
        hint={errors.password ? undefined : `Use ${PASSWORD_MIN_CHARS} or more characters.`}
        inputRef={refs.password}
        autoComplete="new-password"
      />
      <Button type="submit" size="lg" disabled={submitting} className="w-full">
        {submitting ? <Spinner /> : null}
        Sign up
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link
          href={withNext("/sign-in", next)}
          className="font-medium text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300"
        >
          Sign in
        </Link>
      </p>
    </form>
  );
}

function serverSentence(message: string, fallback: string): string {
  const text = message.trim();
  return text ? `${text.charAt(0).toUpperCase()}${text.slice(1).replace(/\.?$/, ".")}` : fallback;
}
