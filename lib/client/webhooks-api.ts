// The browser's client for the webhook routes. It sends through the task client's request (token, one retry on 401,
// typed results), so failures look the same as everywhere else on the page.

import { z } from "zod";
import {
  DeliveryJson,
  WebhookCreatedJson,
  type WebhookCreateInput,
  WebhookJson,
  type WebhookPatch,
  WebhookSecretJson,
} from "@/lib/webhooks/schema";
import type { ApiResult, TaskRequest } from "./tasks-api";

export type Webhook = WebhookJson;
export type WebhookCreated = WebhookCreatedJson;
export type Delivery = DeliveryJson;

export interface WebhooksApi {
  list(signal?: AbortSignal): Promise<ApiResult<Webhook[]>>;
  create(input: z.input<typeof WebhookCreateInput>): Promise<ApiResult<WebhookCreated>>;
  update(webhook: Webhook, patch: WebhookPatch): Promise<ApiResult<Webhook>>;
  rollSecret(webhook: Webhook): Promise<ApiResult<{ secret: string }>>;
  remove(webhook: Webhook): Promise<ApiResult<undefined>>;
  deliveries(webhookId: string, signal?: AbortSignal): Promise<ApiResult<Delivery[]>>;
  redeliver(webhookId: string, delivery: Delivery): Promise<ApiResult<Delivery>>;
}

export function createWebhooksApi(userId: string, request: TaskRequest): WebhooksApi {
  const base = `/api/${encodeURIComponent(userId)}/webhooks`;
  const path = (id: string) => `${base}/${encodeURIComponent(id)}`;
  return {
    list: (signal) => request({ method: "GET", path: base, schema: z.array(WebhookJson), signal }),
    create: (input) => request({ method: "POST", path: base, body: input, schema: WebhookCreatedJson }),
    update: (webhook, patch) => request({ method: "PATCH", path: path(webhook.id), body: patch, schema: WebhookJson }),
    rollSecret: (webhook) => request({ method: "POST", path: `${path(webhook.id)}/secret`, schema: WebhookSecretJson }),
    remove: (webhook) => request({ method: "DELETE", path: path(webhook.id) }),
    deliveries: (webhookId, signal) =>
      request({ method: "GET", path: `${path(webhookId)}/deliveries?limit=20`, schema: z.array(DeliveryJson), signal }),
    redeliver: (webhookId, delivery) =>
      request({
        method: "POST",
        path: `${path(webhookId)}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`,
        schema: DeliveryJson,
      }),
  };
}
