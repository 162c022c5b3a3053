import { authorizeUser } from "@/lib/auth/bearer";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { parseTaskSummaryQuery, taskSummary } from "@/lib/tasks/summary";

// A static segment: Next matches `/tasks/summary` here before trying `[taskId]`.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>(
  "/api/{userId}/tasks/summary",
  {
    async GET(request, { userId }) {
      await authorizeUser(request, userId);
      return json(await taskSummary(userId, parseTaskSummaryQuery(request.url)));
    },
  },
);
