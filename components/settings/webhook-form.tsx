"use client";

import { type FormEvent, useId, useState } from "react";
import { describeApiError } from "@/components/tasks/api-messages";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ApiFailure, capitalize } from "@/lib/client/tasks-api";
import type { WebhookCreated } from "@/lib/client/webhooks-api";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/schema";
import { EVENT_LABELS } from "./webhook-labels";
import { useWebhookMutations } from "./webhook-queries";

type Problems = { url?: string; events?: string; form?: string };

function problemsOf(error: unknown): Problems {
  if (!(error instanceof ApiFailure)) return { form: "Something went wrong. Try again." };
  const { fields } = error.apiError;
  const about = (name: string) => {
    const messages = fields.filter((problem) => problem.field.split(".")[0] === name).map((p) => p.message);
    return messages.length > 0 ? `${capitalize(messages.join("; "))}.` : undefined;
  };
  const problems = { url: about("url"), events: about("events") };
  return problems.url || problems.events ? problems : { form: describeApiError(error.apiError) };
}

/** Registers an endpoint: its URL, an optional note, and every event or the chosen ones. */
export function WebhookForm({ userId, onCreated }: { userId: string; onCreated: (created: WebhookCreated) => void }) {
  const id = useId();
  const { create } = useWebhookMutations(userId);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<Set<WebhookEventType>>(new Set(["task.upserted", "task.deleted"]));
  const [problems, setProblems] = useState<Problems>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!all && chosen.size === 0) {
      setProblems({ events: "Choose at least one event, or all of them." });
      return;
    }
    setProblems({});
    const events = all ? ["*" as const] : WEBHOOK_EVENT_TYPES.filter((type) => chosen.has(type));
    try {
      const created = await create.mutateAsync({ url: url.trim(), description, events });
      setUrl("");
      setDescription("");
      onCreated(created);
    } catch (error) {
      setProblems(problemsOf(error));
    }
  }

  const toggle = (type: WebhookEventType, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(type);
    else next.delete(type);
    setChosen(next);
  };

  return (
    <form
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      className="space-y-4 rounded-xl border border-zinc-200 bg-white p-4 shadow-xs sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h3 id={`${id}-title`} className="text-base font-semibold">
        Add an endpoint
      </h3>
      <Field
        id={`${id}-url`}
        label="Endpoint URL"
        error={problems.url}
        hint="HTTPS only. Addresses on private networks are refused."
      >
        {(control) => (
          <Input
            {...control}
            type="url"
            required
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://example.com/hooks/tasks"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
          />
        )}
      </Field>
      <Field id={`${id}-description`} label="Description" hint="Optional: what receives these events.">
        {(control) => (
          <Input
            {...control}
            maxLength={500}
            placeholder="Home Assistant"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        )}
      </Field>
      <fieldset aria-describedby={problems.events ? `${id}-events-error` : undefined}>
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Events</legend>
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${id}-scope`}
              checked={all}
              onChange={() => setAll(true)}
              className="size-4 accent-indigo-600"
            />
            All events
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${id}-scope`}
              checked={!all}
              onChange={() => setAll(false)}
              className="size-4 accent-indigo-600"
            />
            Only the ones I choose
          </label>
        </div>
        {all ? null : (
          <div className="mt-3 grid gap-2 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <div key={type} className="flex items-center gap-2.5 text-sm">
                <Checkbox
                  id={`${id}-${type}`}
                  checked={chosen.has(type)}
                  onChange={(event) => toggle(type, event.target.checked)}
                />
                <label htmlFor={`${id}-${type}`}>
                  {EVENT_LABELS[type]} <code className="text-xs text-zinc-500 dark:text-zinc-400">{type}</code>
                </label>
              </div>
            ))}
          </div>
        )}
        {problems.events ? (
          <p id={`${id}-events-error`} role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            {problems.events}
          </p>
        ) : null}
      </fieldset>
      {problems.form ? (
        <Alert role="alert" tone="error">
          {problems.form}
        </Alert>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add endpoint"}
        </Button>
      </div>
    </form>
  );
}
