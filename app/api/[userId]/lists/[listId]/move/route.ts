import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { readIfMatch, versionETag } from "@/lib/http/etag";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { idempotent } from "@/lib/idempotency/idempotent";
import { moveList, toListJson } from "@/lib/lists/repository";
import { ListMoveInput } from "@/lib/lists/schema";

type Params = { userId: string; listId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>("/api/{userId}/lists/{listId}/move", {
  async POST(request, { userId, listId }) {
    await authorizeUser(request, userId);
    const body = await readJsonBody(request);
    return idempotent(request, userId, body, async () => {
      const list = await moveList(userId, listId, validate(ListMoveInput, body), readIfMatch(request.headers));
      return json(toListJson(list), { headers: { ETag: versionETag(list) } });
    });
  },
});
