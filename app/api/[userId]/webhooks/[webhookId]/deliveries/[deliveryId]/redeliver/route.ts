import { authorizeSignedInUser } from "@/lib/auth/bearer";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { redeliver, toDeliveryJson } from "@/lib/webhooks/repository";

type Params = { userId: string; webhookId: string; deliveryId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>(
  "/api/{userId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver",
  {
    async POST(request, { userId, webhookId, deliveryId }) {
      await authorizeSignedInUser(request, userId);
      return json(toDeliveryJson(await redeliver(userId, webhookId, deliveryId)), { status: 202 });
    },
  },
);
