import { authorizeHeldToken } from "@/lib/auth/bearer";
import { openEventStream } from "@/lib/changes/stream";
import { defineRoute } from "@/lib/http/route";

// On Vercel, the function's limit: a stream ends by itself before it (EVENTS_MAX_SECONDS, 280 by default), so its
// client hears `event: end` rather than a cut.
export const maxDuration = 300;

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/events", {
  async GET(request, { userId }) {
    return openEventStream(request, await authorizeHeldToken(request, userId));
  },
});
