import { authorizeSignedInUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { json, noContent } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { deleteWebhook, getWebhook, toWebhookJson, updateWebhook } from "@/lib/webhooks/repository";
import { WebhookPatchInput } from "@/lib/webhooks/schema";

type Params = { userId: string; webhookId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>("/api/{userId}/webhooks/{webhookId}", {
  async GET(request, { userId, webhookId }) {
    await authorizeSignedInUser(request, userId);
    return json(toWebhookJson(await getWebhook(userId, webhookId)));
  },

  async PATCH(request, { userId, webhookId }) {
    await authorizeSignedInUser(request, userId);
    const patch = validate(WebhookPatchInput, await readJsonBody(request));
    return json(toWebhookJson(await updateWebhook(userId, webhookId, patch)));
  },

  async DELETE(request, { userId, webhookId }) {
    await authorizeSignedInUser(request, userId);
    await deleteWebhook(userId, webhookId);
    return noContent();
  },
});
