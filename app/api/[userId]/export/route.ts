import { authorizeUser } from "@/lib/auth/bearer";
import { defineRoute } from "@/lib/http/route";
import { exportTasks } from "@/lib/transfer/export";
import { exportFormatOf } from "@/lib/transfer/requests";

/** A large import or export takes a while; no longer than this. */
export const maxDuration = 300;

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/export", {
  async GET(request, { userId }) {
    await authorizeUser(request, userId);
    const { stream, contentType, filename } = await exportTasks(userId, exportFormatOf(request));
    return new Response(stream, {
      headers: {
        "Content-Type": contentType,
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
