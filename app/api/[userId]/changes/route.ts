import { authorizeUser } from "@/lib/auth/bearer";
import { parseChangesQuery, readChanges } from "@/lib/changes/feed";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/changes", {
  async GET(request, { userId }) {
    await authorizeUser(request, userId);
    return json(await readChanges(userId, parseChangesQuery(request.url)));
  },
});
