import { authorizeUser } from "@/lib/auth/bearer";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { listTags, toTagJson } from "@/lib/tags/repository";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/tags", {
  async GET(request, { userId }) {
    await authorizeUser(request, userId);
    return json((await listTags(userId)).map(toTagJson));
  },
});
