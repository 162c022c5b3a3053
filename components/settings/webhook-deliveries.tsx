"use client";

import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import type { Delivery } from "@/lib/client/webhooks-api";
import { LoadFailure } from "./load-failure";
import { formatTime, lastOutcome, STATE_LABELS } from "./webhook-labels";
import { useDeliveries, useWebhookMutations } from "./webhook-queries";

const STATE_TONES: Record<Delivery["state"], string> = {
  pending: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  succeeded: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
};

export function StateBadge({ state }: { state: Delivery["state"] }) {
  return (
    <span className={cn("inline-flex rounded-full px-2 py-0.5 text-xs font-medium", STATE_TONES[state])}>
      {STATE_LABELS[state]}
    </span>
  );
}

/** When it went, or when it goes next. */
function timing(delivery: Delivery): string {
  if (delivery.state === "pending" && delivery.next_attempt_at)
    return `Next try ${formatTime(delivery.next_attempt_at)}`;
  return formatTime(delivery.finished_at ?? delivery.created_at);
}

/** The endpoint's latest deliveries: the event, how it went, and a way to send a failed one again. */
export function WebhookDeliveries({ userId, webhookId }: { userId: string; webhookId: string }) {
  const deliveries = useDeliveries(userId, webhookId);
  const { redeliver } = useWebhookMutations(userId);

  if (deliveries.isPending) {
    return (
      <div className="space-y-2" role="status">
        <span className="sr-only">Loading deliveries…</span>
        <Skeleton className="h-9 rounded-lg" />
        <Skeleton className="h-9 rounded-lg" />
      </div>
    );
  }
  if (deliveries.isError) {
    return (
      <LoadFailure
        error={deliveries.error}
        fallback="The deliveries could not be loaded."
        onRetry={() => deliveries.refetch()}
      />
    );
  }
  if (deliveries.data.length === 0) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No deliveries yet. Each change to your tasks, lists or tags that this endpoint listens for shows up here.
      </p>
    );
  }
  return (
    <ol aria-label="Recent deliveries, newest first" className="divide-y divide-zinc-200 dark:divide-zinc-800">
      {deliveries.data.map((delivery) => (
        <li key={delivery.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5 text-sm">
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-2">
              <code className="text-xs font-medium">{delivery.type}</code>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">event {delivery.event_id}</span>
              <StateBadge state={delivery.state} />
            </p>
            <p className="mt-0.5 text-xs break-words text-zinc-600 dark:text-zinc-400">
              {lastOutcome(delivery)} · {delivery.attempts === 1 ? "1 attempt" : `${delivery.attempts} attempts`} ·{" "}
              {timing(delivery)}
            </p>
          </div>
          {delivery.state === "pending" ? null : (
            <Button
              variant="ghost"
              size="sm"
              disabled={redeliver.isPending}
              onClick={() => redeliver.mutate({ webhookId, delivery })}
              aria-label={`Resend ${delivery.type} event ${delivery.event_id}`}
            >
              Resend
            </Button>
          )}
        </li>
      ))}
    </ol>
  );
}
