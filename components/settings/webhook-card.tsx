"use client";

import { useId, useState } from "react";
import { describeApiError } from "@/components/tasks/api-messages";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { ApiFailure } from "@/lib/client/tasks-api";
import type { Webhook } from "@/lib/client/webhooks-api";
import { WebhookDeliveries } from "./webhook-deliveries";
import { eventsSummary, formatTime } from "./webhook-labels";
import { useWebhookMutations } from "./webhook-queries";

function StatusBadge({ webhook }: { webhook: Webhook }) {
  const [label, tone] = webhook.enabled
    ? ["Active", "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"]
    : webhook.disabled_reason
      ? ["Disabled", "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200"]
      : ["Paused", "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"];
  return <span className={cn("inline-flex rounded-full px-2 py-0.5 text-xs font-medium", tone)}>{label}</span>;
}

const failureText = (error: unknown) =>
  error instanceof ApiFailure ? describeApiError(error.apiError) : "Something went wrong. Try again.";

/** One endpoint: where, what, whether it is on (and why not), and what can be done with it. */
export function WebhookCard({
  userId,
  webhook,
  onSecret,
}: {
  userId: string;
  webhook: Webhook;
  onSecret: (secret: string, url: string) => void;
}) {
  const id = useId();
  const { update, rollSecret, remove } = useWebhookMutations(userId);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const [confirm, setConfirm] = useState<"delete" | "roll" | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  async function run(action: () => Promise<unknown>) {
    setFailure(undefined);
    try {
      await action();
    } catch (error) {
      setFailure(failureText(error));
    }
  }

  const busy = update.isPending || rollSecret.isPending || remove.isPending;
  const toggle = () => run(() => update.mutateAsync({ webhook, patch: { enabled: !webhook.enabled } }));
  const roll = () =>
    run(async () => {
      setConfirm(undefined);
      const { secret } = await rollSecret.mutateAsync(webhook);
      onSecret(secret, webhook.url);
    });
  const destroy = () =>
    run(async () => {
      setConfirm(undefined);
      await remove.mutateAsync(webhook);
    });

  return (
    <li
      aria-labelledby={`${id}-url`}
      className="rounded-xl border border-zinc-200 bg-white p-4 shadow-xs sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          <p id={`${id}-url`} className="font-mono text-sm break-all text-zinc-900 dark:text-zinc-100">
            {webhook.url}
          </p>
          {webhook.description ? (
            <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{webhook.description}</p>
          ) : null}
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{eventsSummary(webhook.events)}</p>
        </div>
        <StatusBadge webhook={webhook} />
      </div>

      {!webhook.enabled && webhook.disabled_reason ? (
        <Alert className="mt-3" title="Turned off after repeated failures">
          <p className="break-words">{webhook.disabled_reason}</p>
          {webhook.disabled_at ? <p className="mt-0.5 text-xs">Since {formatTime(webhook.disabled_at)}.</p> : null}
          <p className="mt-0.5 text-xs">Fix the receiver, then re-enable it: new changes are sent from then on.</p>
        </Alert>
      ) : null}
      {failure ? (
        <Alert role="alert" className="mt-3">
          {failure}
        </Alert>
      ) : null}

      <div className="mt-3 flex flex-wrap gap-2">
        <Button
          variant="secondary"
          size="sm"
          aria-expanded={showDeliveries}
          aria-controls={`${id}-deliveries`}
          onClick={() => setShowDeliveries(!showDeliveries)}
        >
          {showDeliveries ? "Hide deliveries" : "Recent deliveries"}
        </Button>
        <Button variant={webhook.disabled_reason ? "primary" : "secondary"} size="sm" disabled={busy} onClick={toggle}>
          {webhook.enabled ? "Pause" : webhook.disabled_reason ? "Re-enable" : "Resume"}
        </Button>
        <Button variant="secondary" size="sm" disabled={busy} onClick={() => setConfirm("roll")}>
          Roll secret
        </Button>
        <Button variant="danger" size="sm" disabled={busy} onClick={() => setConfirm("delete")}>
          Delete
        </Button>
      </div>

      {showDeliveries ? (
        <section id={`${id}-deliveries`} aria-label={`Recent deliveries to ${webhook.url}`} className="mt-4">
          <WebhookDeliveries userId={userId} webhookId={webhook.id} />
        </section>
      ) : null}

      <Dialog
        open={confirm !== undefined}
        onClose={() => setConfirm(undefined)}
        title={confirm === "delete" ? "Delete this endpoint?" : "Roll the signing secret?"}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirm(undefined)}>
              Cancel
            </Button>
            <Button
              variant={confirm === "delete" ? "danger" : "primary"}
              onClick={confirm === "delete" ? destroy : roll}
            >
              {confirm === "delete" ? "Delete endpoint" : "Roll secret"}
            </Button>
          </>
        }
      >
        <p className="text-sm break-words">
          {confirm === "delete"
            ? `Nothing more is sent to ${webhook.url}, and its delivery history goes with it.`
            : "Deliveries are signed with a new secret from now on; the current one stops working at once. Update your receiver right after."}
        </p>
      </Dialog>
    </li>
  );
}
