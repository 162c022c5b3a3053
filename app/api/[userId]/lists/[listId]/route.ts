import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { ifNoneMatchHits, readIfMatch, versionETag } from "@/lib/http/etag";
import { json, noContent, notModified } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate, validateQuery } from "@/lib/http/validate";
import { deleteList, getList, renameList, toListJson } from "@/lib/lists/repository";
import { ListDeleteQuery, ListInput } from "@/lib/lists/schema";

type Params = { userId: string; listId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>("/api/{userId}/lists/{listId}", {
  async GET(request, { userId, listId }) {
    await authorizeUser(request, userId);
    const list = await getList(userId, listId);
    const headers = { ETag: versionETag(list) };
    if (ifNoneMatchHits(request.headers, list)) return notModified(headers);
    return json(toListJson(list), { headers });
  },

  async PATCH(request, { userId, listId }) {
    await authorizeUser(request, userId);
    const rename = validate(ListInput, await readJsonBody(request));
    const list = await renameList(userId, listId, rename, readIfMatch(request.headers));
    return json(toListJson(list), { headers: { ETag: versionETag(list) } });
  },

  async DELETE(request, { userId, listId }) {
    await authorizeUser(request, userId);
    const query = validateQuery(ListDeleteQuery, request.url);
    await deleteList(userId, listId, query, readIfMatch(request.headers));
    return noContent();
  },
});
