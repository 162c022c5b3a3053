import { authorizeSignedInUser } from "@/lib/auth/bearer";
import { json, noContent } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { getToken, revokeToken, toTokenJson } from "@/lib/tokens/repository";

type Params = { userId: string; tokenId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>("/api/{userId}/tokens/{tokenId}", {
  async GET(request, { userId, tokenId }) {
    await authorizeSignedInUser(request, userId);
    return json(toTokenJson(await getToken(userId, tokenId)));
  },

  async DELETE(request, { userId, tokenId }) {
    await authorizeSignedInUser(request, userId);
    await revokeToken(userId, tokenId);
    return noContent();
  },
});
