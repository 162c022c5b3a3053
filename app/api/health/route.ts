import { checkDatabase } from "@/lib/health";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute("/api/health", {
  async GET() {
    await checkDatabase();
    return json({ status: "ok", database: "ok" }, { headers: { "Cache-Control": "no-store" } });
  },
});
