import { authorizeUser } from "@/lib/auth/bearer";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { idempotent } from "@/lib/idempotency/idempotent";
import { runImport } from "@/lib/transfer/import";
import { readImport } from "@/lib/transfer/requests";

/** A large import or export takes a while; no longer than this. */
export const maxDuration = 300;

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/import", {
  async POST(request, { userId }) {
    await authorizeUser(request, userId);
    const { source, plan } = await readImport(request);
    return idempotent(request, userId, source, async () => json(await runImport(userId, plan)));
  },
});
