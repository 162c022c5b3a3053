import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { getSettings, updateSettings } from "@/lib/settings/repository";
import { SettingsPatchInput } from "@/lib/settings/schema";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/settings", {
  async GET(request, { userId }) {
    await authorizeUser(request, userId);
    return json(await getSettings(userId));
  },

  async PATCH(request, { userId }) {
    await authorizeUser(request, userId);
    return json(await updateSettings(userId, validate(SettingsPatchInput, await readJsonBody(request))));
  },
});
