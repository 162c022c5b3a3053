import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { versionETag } from "@/lib/http/etag";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { idempotent } from "@/lib/idempotency/idempotent";
import { listTaskPage, nextPageLink, parseTaskListQuery } from "@/lib/tasks/list";
import { createTask, toTaskJson } from "@/lib/tasks/repository";
import { TaskCreateInput } from "@/lib/tasks/schema";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/tasks", {
  async GET(request, { userId }) {
    await authorizeUser(request, userId);
    const { tasks, nextCursor } = await listTaskPage(userId, parseTaskListQuery(request.url));
    const headers: HeadersInit = nextCursor ? { Link: nextPageLink(request.url, nextCursor) } : {};
    return json(tasks.map(toTaskJson), { headers });
  },

  async POST(request, { userId }) {
    await authorizeUser(request, userId);
    const body = await readJsonBody(request);
    return idempotent(request, userId, body, async () => {
      const task = await createTask(userId, validate(TaskCreateInput, body));
      const location = new URL(`/api/${encodeURIComponent(userId)}/tasks/${task.id}`, request.url);
      return json(toTaskJson(task), { status: 201, headers: { Location: location.href, ETag: versionETag(task) } });
    });
  },
});
