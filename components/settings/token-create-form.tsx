"use client";

import { type FormEvent, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { capitalize } from "@/lib/client/tasks-api";
import {
  TOKEN_EXPIRY_MAX_DAYS,
  TOKEN_NAME_MAX_CHARS,
  TOKEN_SCOPES,
  type TokenCreate,
  TokenCreateInput,
  type TokenScope,
} from "@/lib/tokens/schema";
import { formatDate, SCOPE_LABEL } from "./token-text";

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRY_CHOICES = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "custom", label: "Custom date…" },
  { value: "never", label: "No expiration" },
] as const;
type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["value"];

const SCOPE_HINT: Record<TokenScope, string> = {
  "tasks:read": "Reads tasks, lists, tags, settings and changes. Enough for backups and dashboards.",
  "tasks:read tasks:write": "Also creates, changes and deletes them. For scripts that add or complete tasks.",
};

/** `YYYY-MM-DD` of a local date, as `<input type="date">` reads and writes it. */
const isoDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

/** When the chosen expiry ends: a number of days from now, or the end of the chosen day where the user is. */
function expiresAt(choice: ExpiryChoice, customDay: string): string | null | undefined {
  if (choice === "never") return null;
  if (choice === "custom") return customDay ? new Date(`${customDay}T23:59:59`).toISOString() : undefined;
  return new Date(Date.now() + Number(choice) * DAY_MS).toISOString();
}

type Errors = Partial<Record<"name" | "scope" | "expires_at", string>>;

/** Name, access and expiry of a new token, checked by the same schema the server uses. */
export function TokenCreateForm({
  busy,
  failure,
  onCreate,
}: {
  busy: boolean;
  failure: string | undefined;
  onCreate: (input: TokenCreate) => Promise<boolean>;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<TokenScope>("tasks:read");
  const [expiry, setExpiry] = useState<ExpiryChoice>("30");
  const [customDay, setCustomDay] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const today = new Date();
  const lastDay = new Date(today.getTime() + (TOKEN_EXPIRY_MAX_DAYS - 1) * DAY_MS);
  const until = expiresAt(expiry, customDay);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { name, scope, expires_at: until };
    const parsed = TokenCreateInput.safeParse(input);
    if (!parsed.success) {
      const found: Errors = {};
      for (const issue of parsed.error.issues) found[issue.path[0] as keyof Errors] ??= capitalize(issue.message);
      if (expiry === "custom" && !customDay) found.expires_at = "Choose the day it expires";
      setErrors(found);
      return;
    }
    setErrors({});
    if (await onCreate(parsed.data)) {
      setName("");
      setExpiry("30");
      setCustomDay("");
    }
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby={`${id}-title`}
      className="space-y-5 rounded-xl border border-zinc-200 bg-white p-4 shadow-xs sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h3 id={`${id}-title`} className="text-base font-semibold">
        New token
      </h3>
      <Field
        id={`${id}-name`}
        label="Name"
        error={errors.name}
        hint="What it is for, so you know which one to revoke later."
      >
        {(control) => (
          <Input
            {...control}
            value={name}
            maxLength={TOKEN_NAME_MAX_CHARS}
            placeholder="e.g. Backup cron job"
            autoComplete="off"
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>

      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Access</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {TOKEN_SCOPES.map((option) => (
            <label
              key={option}
              className={cn(
                "flex cursor-pointer flex-col gap-0.5 rounded-lg border border-zinc-300 px-3 py-2.5 text-sm dark:border-zinc-700",
                "has-checked:border-indigo-600 has-checked:bg-indigo-50 has-focus-visible:outline-2 has-focus-visible:outline-indigo-600 dark:has-checked:border-indigo-400 dark:has-checked:bg-indigo-950/40",
              )}
            >
              <span className="flex items-center gap-2 font-medium">
                <input
                  type="radio"
                  name={`${id}-scope`}
                  value={option}
                  checked={scope === option}
                  onChange={() => setScope(option)}
                  className="accent-indigo-600"
                />
                {SCOPE_LABEL[option]}
                <code className="ml-auto text-xs font-normal text-zinc-600 dark:text-zinc-400">{option}</code>
              </span>
              <span className="pl-5 text-xs text-zinc-600 dark:text-zinc-400">{SCOPE_HINT[option]}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${id}-expiry`}
          label="Expiration"
          error={expiry === "custom" ? undefined : errors.expires_at}
          hint={
            until === null ? "It works until you revoke it." : until ? `Stops working ${formatDate(until)}.` : undefined
          }
        >
          {(control) => (
            <Select {...control} value={expiry} onChange={(event) => setExpiry(event.target.value as ExpiryChoice)}>
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {expiry === "custom" ? (
          <Field id={`${id}-day`} label="Expires on" error={errors.expires_at}>
            {(control) => (
              <Input
                {...control}
                type="date"
                value={customDay}
                min={isoDay(today)}
                max={isoDay(lastDay)}
                onChange={(event) => setCustomDay(event.target.value)}
              />
            )}
          </Field>
        ) : null}
      </div>

      {failure ? (
        <Alert role="alert" title="The token was not created">
          {failure}
        </Alert>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </Button>
      </div>
    </form>
  );
}
