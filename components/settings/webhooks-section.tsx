"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import { WEBHOOKS_PER_USER_MAX } from "@/lib/webhooks/schema";
import { LoadFailure } from "./load-failure";
import { SecretReveal } from "./secret-reveal";
import { WebhookCard } from "./webhook-card";
import { WebhookForm } from "./webhook-form";
import { useWebhooks } from "./webhook-queries";

/** Webhooks: the user's endpoints, a form to add one, and a new secret while it may still be copied. */
export function WebhooksSection({ userId }: { userId: string }) {
  const webhooks = useWebhooks(userId);
  const [revealed, setRevealed] = useState<{ secret: string; url: string } | undefined>();
  const full = (webhooks.data?.length ?? 0) >= WEBHOOKS_PER_USER_MAX;

  return (
    <section aria-labelledby="webhooks-heading" className="space-y-4">
      <div>
        <h2 id="webhooks-heading" className="text-lg font-semibold">
          Webhooks
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Your server is told of every change to your tasks, lists and tags as it happens: a signed JSON{" "}
          <code>POST</code>, retried for a day if it fails. The README shows how to check the signature.
        </p>
      </div>

      {revealed ? (
        <SecretReveal secret={revealed.secret} url={revealed.url} onDone={() => setRevealed(undefined)} />
      ) : null}

      {webhooks.isPending ? (
        <div className="space-y-3" role="status">
          <span className="sr-only">Loading webhooks…</span>
          <Skeleton className="h-28 rounded-xl" />
        </div>
      ) : webhooks.isError ? (
        <LoadFailure
          error={webhooks.error}
          fallback="Your webhooks could not be loaded."
          onRetry={() => webhooks.refetch()}
        />
      ) : webhooks.data.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No endpoints yet. Add one below to have changes sent to it.
        </p>
      ) : (
        <ul className="space-y-3" aria-label="Webhook endpoints">
          {webhooks.data.map((webhook) => (
            <WebhookCard
              key={webhook.id}
              userId={userId}
              webhook={webhook}
              onSecret={(secret, url) => setRevealed({ secret, url })}
            />
          ))}
        </ul>
      )}

      {full ? (
        <Alert tone="info">
          You have {WEBHOOKS_PER_USER_MAX} endpoints, the most an account may have. Delete one to add another.
        </Alert>
      ) : webhooks.isSuccess ? (
        <WebhookForm
          userId={userId}
          onCreated={(created) => setRevealed({ secret: created.secret, url: created.url })}
        />
      ) : null}
    </section>
  );
}
