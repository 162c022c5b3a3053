import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { readIfMatch, versionETag } from "@/lib/http/etag";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { idempotent } from "@/lib/idempotency/idempotent";
import { moveTask } from "@/lib/tasks/move";
import { toTaskJson } from "@/lib/tasks/repository";
import { TaskMoveInput } from "@/lib/tasks/schema";

type Params = { userId: string; taskId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>("/api/{userId}/tasks/{taskId}/move", {
  async POST(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    const body = await readJsonBody(request);
    return idempotent(request, userId, body, async () => {
      const task = await moveTask(userId, taskId, validate(TaskMoveInput, body), readIfMatch(request.headers));
      return json(toTaskJson(task), { headers: { ETag: versionETag(task) } });
    });
  },
});
