import { authorizeHeldToken } from "@/lib/auth/bearer";
import { openEventStream } from "@/lib/changes/stream";
import { defineRoute } from "@/lib/http/route";

// A stream lives until its token expires or EVENTS_MAX_SECONDS; on Vercel the function's own limit is this.
export const maxDuration = 300;

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/events", {
  async GET(request, { userId }) {
    return openEventStream(request, await authorizeHeldToken(request, userId));
  },
});
