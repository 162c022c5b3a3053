import { authorizeSignedInUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { createToken, listTokens, toTokenJson } from "@/lib/tokens/repository";
import { TokenCreateInput } from "@/lib/tokens/schema";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/tokens", {
  async GET(request, { userId }) {
    await authorizeSignedInUser(request, userId);
    return json((await listTokens(userId)).map(toTokenJson));
  },

  async POST(request, { userId }) {
    await authorizeSignedInUser(request, userId);
    const { token, secret } = await createToken(userId, validate(TokenCreateInput, await readJsonBody(request)));
    const location = new URL(`/api/${encodeURIComponent(userId)}/tokens/${token.id}`, request.url);
    return json(
      { ...toTokenJson(token), secret },
      { status: 201, headers: { Location: location.href, "Cache-Control": "no-store" } },
    );
  },
});
