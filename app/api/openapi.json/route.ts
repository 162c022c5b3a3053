import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { openApiDocument } from "@/lib/openapi/document";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute("/api/openapi.json", {
  async GET() {
    return json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
  },
});
