import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { runWebhookCron } from "@/lib/webhooks/cron";

// On Vercel, the function's limit: the run stops claiming deliveries well before it.
export const maxDuration = 60;

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute("/api/cron/webhooks", {
  async GET(request) {
    return json(await runWebhookCron(request), { headers: { "Cache-Control": "no-store" } });
  },
});
