import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { json, noContent } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { deleteTask, getTask, toTaskJson, updateTask } from "@/lib/tasks/repository";
import { TaskPatchInput, TaskReplaceInput } from "@/lib/tasks/schema";

type Params = { userId: string; taskId: string };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<Params>({
  async GET(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    return json(toTaskJson(await getTask(userId, taskId)));
  },

  async PUT(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    const replacement = validate(TaskReplaceInput, await readJsonBody(request));
    return json(toTaskJson(await updateTask(userId, taskId, replacement)));
  },

  async PATCH(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    const changes = validate(TaskPatchInput, await readJsonBody(request));
    return json(toTaskJson(await updateTask(userId, taskId, changes)));
  },

  async DELETE(request, { userId, taskId }) {
    await authorizeUser(request, userId);
    await deleteTask(userId, taskId);
    return noContent();
  },
});
