"use client";

import { describeApiError } from "@/components/tasks/api-messages";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiFailure } from "@/lib/client/tasks-api";
import type { Delivery } from "@/lib/client/webhooks-api";
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
    const error = deliveries.error;
    return (
      <Alert
        role="alert"
        action={
          <Button variant="secondary" size="sm" onClick={() => deliveries.refetch()}>
            Try again
          </Button>
        }
      >
        {error instanceof ApiFailure ? describeApiError(error.apiError) : "The deliveries could not be loaded."}
      </Alert>
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
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Recent deliveries, newest first</caption>
        <thead className="text-xs text-zinc-600 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-1.5 pr-3 font-medium">
              Event
            </th>
            <th scope="col" className="py-1.5 pr-3 font-medium">
              Status
            </th>
            <th scope="col" className="py-1.5 pr-3 font-medium">
              Attempts
            </th>
            <th scope="col" className="py-1.5 pr-3 font-medium">
              Last answer
            </th>
            <th scope="col" className="py-1.5 pr-3 font-medium">
              When
            </th>
            <th scope="col" className="py-1.5 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {deliveries.data.map((delivery) => (
            <tr key={delivery.id}>
              <td className="py-2 pr-3">
                <code className="text-xs">{delivery.type}</code>
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">#{delivery.event_id}</span>
              </td>
              <td className="py-2 pr-3">
                <StateBadge state={delivery.state} />
              </td>
              <td className="py-2 pr-3 tabular-nums">{delivery.attempts}</td>
              <td className="max-w-48 truncate py-2 pr-3" title={delivery.last_error ?? undefined}>
                {lastOutcome(delivery)}
              </td>
              <td className="py-2 pr-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400">{timing(delivery)}</td>
              <td className="py-2 text-right">
                {delivery.state === "pending" ? null : (
                  <Button
                    variant="ghost"
                    size="sm"
                    disabled={redeliver.isPending}
                    onClick={() => redeliver.mutate({ webhookId, delivery })}
                    aria-label={`Send ${delivery.type} #${delivery.event_id} again`}
                  >
                    Resend
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
