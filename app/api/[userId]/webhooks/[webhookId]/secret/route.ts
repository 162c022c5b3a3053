import { authorizeSignedInUser } from "@/lib/auth/bearer";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { rollWebhookSecret } from "@/lib/webhooks/repository";

type Params = { userId: string; webhookId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>(
  "/api/{userId}/webhooks/{webhookId}/secret",
  {
    async POST(request, { userId, webhookId }) {
      await authorizeSignedInUser(request, userId);
      return json(await rollWebhookSecret(userId, webhookId), { headers: { "Cache-Control": "no-store" } });
    },
  },
);
