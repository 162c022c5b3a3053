"use client";

import Link from "next/link";
import { type FormEvent, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describeAuthFailure, signInWithEmail } from "@/lib/client/auth-client";
import { DEFAULT_AFTER_SIGN_IN, withNext } from "@/lib/client/next-path";
import { checkEmail, EmailField, INVALID_EMAIL, PasswordField } from "./credential-fields";
import { Spinner } from "./spinner";

interface Errors {
  email?: string;
  password?: string;
  form?: string;
}

const FORM_ERROR_ID = "sign-in-error";

export function SignInForm({ next }: { next?: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const found: Errors = {};
    const emailProblem = checkEmail(email);
    if (emailProblem) found.email = emailProblem;
    if (password === "") found.password = "Enter your password.";
    setErrors(found);
    if (found.email) return emailRef.current?.focus();
    if (found.password) return passwordRef.current?.focus();

    setSubmitting(true);
    const result = await signInWithEmail({ email: email.trim(), password });
    if (result.ok) {
      // A full page load: the server renders the next page with the new session cookie, and nothing of the
      // signed-out page (router cache, announcer) carries over.
      window.location.replace(next ?? DEFAULT_AFTER_SIGN_IN);
      return;
    }
    setSubmitting(false);
    const { error } = result;
    if (error.code === "INVALID_EMAIL_OR_PASSWORD" || error.status === 401) {
      setErrors({ form: "Wrong email or password" });
      passwordRef.current?.select();
      passwordRef.current?.focus();
    } else if (error.code === "INVALID_EMAIL") {
      setErrors({ email: INVALID_EMAIL });
      emailRef.current?.focus();
    } else {
      setErrors({ form: describeAuthFailure(error, "sign in") });
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-5" aria-busy={submitting}>
      {errors.form ? (
        <Alert id={FORM_ERROR_ID} role="alert">
          {errors.form}
        </Alert>
      ) : null}
      <EmailField
        value={email}
        onChange={setEmail}
        error={errors.email}
        describedBy={errors.form ? FORM_ERROR_ID : undefined}
        inputRef={emailRef}
      />
      <PasswordField
        value={password}
        onChange={setPassword}
        error={errors.password}
        describedBy={errors.form ? FORM_ERROR_ID : undefined}
        inputRef={passwordRef}
        autoComplete="current-password"
      />
      <Button type="submit" size="lg" disabled={submitting} className="w-full">
        {submitting ? <Spinner /> : null}
        Sign in
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        New to Tasks?{" "}
        <Link
          href={withNext("/sign-up", next)}
          className="font-medium text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300"
        >
          Create an account
        </Link>
      </p>
    </form>
  );
}
