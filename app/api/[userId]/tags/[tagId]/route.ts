import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { json, noContent } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { deleteTag, getTag, renameTag, toTagJson } from "@/lib/tags/repository";
import { TagPatchInput } from "@/lib/tags/schema";

type Params = { userId: string; tagId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>("/api/{userId}/tags/{tagId}", {
  async GET(request, { userId, tagId }) {
    await authorizeUser(request, userId);
    return json(toTagJson(await getTag(userId, tagId)));
  },

  async PATCH(request, { userId, tagId }) {
    await authorizeUser(request, userId);
    const rename = validate(TagPatchInput, await readJsonBody(request));
    return json(toTagJson(await renameTag(userId, tagId, rename)));
  },

  async DELETE(request, { userId, tagId }) {
    await authorizeUser(request, userId);
    await deleteTag(userId, tagId);
    return noContent();
  },
});
