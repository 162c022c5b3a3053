"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { withNext } from "@/lib/client/next-path";
import { createTasksApi, unwrap } from "@/lib/client/tasks-api";
import { createWebhooksApi, type Delivery, type Webhook, type WebhooksApi } from "@/lib/client/webhooks-api";
import type { WebhookPatch } from "@/lib/webhooks/schema";

/** Everything webhook of one user starts with this key, so one invalidation reaches the endpoints and deliveries. */
export const webhookKeys = {
  all: (userId: string) => ["webhooks", userId] as const,
  endpoints: (userId: string) => ["webhooks", userId, "endpoints"] as const,
  deliveries: (userId: string, webhookId: string) => ["webhooks", userId, "deliveries", webhookId] as const,
};

const signInAgain = () => window.location.assign(withNext("/sign-in", "/settings"));

export function useWebhooksApi(userId: string): WebhooksApi {
  return useMemo(
    () => createWebhooksApi(userId, createTasksApi(userId, { onSessionEnded: signInAgain }).request),
    [userId],
  );
}

export function useWebhooks(userId: string) {
  const api = useWebhooksApi(userId);
  return useQuery({ queryKey: webhookKeys.endpoints(userId), queryFn: ({ signal }) => unwrap(api.list(signal)) });
}

/** An endpoint's latest deliveries, read again every few seconds while any is still pending. */
export function useDeliveries(userId: string, webhookId: string) {
  const api = useWebhooksApi(userId);
  return useQuery({
    queryKey: webhookKeys.deliveries(userId, webhookId),
    queryFn: ({ signal }) => unwrap(api.deliveries(webhookId, signal)),
    refetchInterval: (query) => (query.state.data?.some((delivery) => delivery.state === "pending") ? 3_000 : false),
  });
}

/**
 * Registering, changing, rolling and deleting endpoints, and redelivering. Each mutation rejects with the API's
 * refusal (an ApiFailure) for the form or button that asked; the endpoints and deliveries are read again after.
 */
export function useWebhookMutations(userId: string) {
  const client = useQueryClient();
  const api = useWebhooksApi(userId);
  const onSettled = () => client.invalidateQueries({ queryKey: webhookKeys.all(userId) });
  return {
    create: useMutation({
      mutationFn: (input: Parameters<WebhooksApi["create"]>[0]) => unwrap(api.create(input)),
      onSettled,
    }),
    update: useMutation({
      mutationFn: ({ webhook, patch }: { webhook: Webhook; patch: WebhookPatch }) => unwrap(api.update(webhook, patch)),
      onSettled,
    }),
    rollSecret: useMutation({ mutationFn: (webhook: Webhook) => unwrap(api.rollSecret(webhook)), onSettled }),
    remove: useMutation({ mutationFn: (webhook: Webhook) => unwrap(api.remove(webhook)), onSettled }),
    redeliver: useMutation({
      mutationFn: ({ webhookId, delivery }: { webhookId: string; delivery: Delivery }) =>
        unwrap(api.redeliver(webhookId, delivery)),
      onSettled,
    }),
  };
}
