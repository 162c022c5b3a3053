import { authorizeSignedInUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { createWebhook, listWebhooks, toWebhookJson } from "@/lib/webhooks/repository";
import { WebhookCreateInput } from "@/lib/webhooks/schema";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/webhooks", {
  async GET(request, { userId }) {
    await authorizeSignedInUser(request, userId);
    return json((await listWebhooks(userId)).map(toWebhookJson));
  },

  async POST(request, { userId }) {
    await authorizeSignedInUser(request, userId);
    const created = await createWebhook(userId, validate(WebhookCreateInput, await readJsonBody(request)));
    const location = new URL(`/api/${encodeURIComponent(userId)}/webhooks/${created.id}`, request.url);
    return json(created, { status: 201, headers: { Location: location.href, "Cache-Control": "no-store" } });
  },
});
