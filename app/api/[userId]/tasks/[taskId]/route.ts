import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { ifNoneMatchHits, readIfMatch, versionETag } from "@/lib/http/etag";
import { json, noContent, notModified } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { deleteTask, getTask, patchTask, replaceTask, toTaskJson } from "@/lib/tasks/repository";
import { TaskPatchInput, TaskReplaceInput } from "@/lib/tasks/schema";

type Params = { userId: string; taskId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>("/api/{userId}/tasks/{taskId}", {
  async GET(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    const task = await getTask(userId, taskId);
    const headers = { ETag: versionETag(task) };
    if (ifNoneMatchHits(request.headers, task)) return notModified(headers);
    return json(toTaskJson(task), { headers });
  },

  async PUT(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    const replacement = validate(TaskReplaceInput, await readJsonBody(request));
    const task = await replaceTask(userId, taskId, replacement, readIfMatch(request.headers));
    return json(toTaskJson(task), { headers: { ETag: versionETag(task) } });
  },

  async PATCH(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    const changes = validate(TaskPatchInput, await readJsonBody(request));
    const task = await patchTask(userId, taskId, changes, readIfMatch(request.headers));
    return json(toTaskJson(task), { headers: { ETag: versionETag(task) } });
  },

  async DELETE(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    await deleteTask(userId, taskId, readIfMatch(request.headers));
    return noContent();
  },
});
