import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { versionETag } from "@/lib/http/etag";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { idempotent } from "@/lib/idempotency/idempotent";
import { createList, listLists, toListJson } from "@/lib/lists/repository";
import { ListInput } from "@/lib/lists/schema";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/lists", {
  async GET(request, { userId }) {
    await authorizeUser(request, userId);
    return json((await listLists(userId)).map(toListJson));
  },

  async POST(request, { userId }) {
    await authorizeUser(request, userId);
    const body = await readJsonBody(request);
    return idempotent(request, userId, body, async () => {
      const list = await createList(userId, validate(ListInput, body));
      const location = new URL(`/api/${encodeURIComponent(userId)}/lists/${list.id}`, request.url);
      return json(toListJson(list), { status: 201, headers: { Location: location.href, ETag: versionETag(list) } });
    });
  },
});
