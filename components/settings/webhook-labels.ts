// What the webhooks section calls things: the sentences live in components, not in the API client.

import type { Delivery, Webhook } from "@/lib/client/webhooks-api";
import type { WebhookEventType } from "@/lib/webhooks/schema";

export const EVENT_LABELS: Record<WebhookEventType, string> = {
  "task.upserted": "Task created or changed",
  "task.deleted": "Task deleted",
  "list.upserted": "List created or changed",
  "list.deleted": "List deleted",
  "tag.upserted": "Tag created or changed",
  "tag.deleted": "Tag deleted",
};

export function eventsSummary(events: Webhook["events"]): string {
  if (events.includes("*")) return "All events";
  return events.map((type) => EVENT_LABELS[type as WebhookEventType]).join(", ");
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatTime = (iso: string) => timeFormat.format(new Date(iso));

export const STATE_LABELS: Record<Delivery["state"], string> = {
  pending: "Retrying",
  succeeded: "Delivered",
  failed: "Failed",
};

/** The last attempt in a few words: its status code, or why there was none. */
export function lastOutcome(delivery: Delivery): string {
  if (delivery.attempts === 0) return "Not sent yet";
  if (delivery.last_status !== null) return `HTTP ${delivery.last_status}`;
  return delivery.last_error ?? "No answer";
}
