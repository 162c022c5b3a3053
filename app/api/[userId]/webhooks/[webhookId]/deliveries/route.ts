import { authorizeSignedInUser } from "@/lib/auth/bearer";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validateQuery } from "@/lib/http/validate";
import { listDeliveries, toDeliveryJson } from "@/lib/webhooks/repository";
import { DeliveriesQuery } from "@/lib/webhooks/schema";

type Params = { userId: string; webhookId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>(
  "/api/{userId}/webhooks/{webhookId}/deliveries",
  {
    async GET(request, { userId, webhookId }) {
      await authorizeSignedInUser(request, userId);
      const query = validateQuery(DeliveriesQuery, request.url);
      return json((await listDeliveries(userId, webhookId, query)).map(toDeliveryJson));
    },
  },
);
