import { z } from "zod";
import { TagName } from "../tasks/schema";

export const TagId = z.uuid();

/** `PATCH …/tags/{tagId}`: the new name, under the same rules as a tag named on a task. */
export const TagPatchInput = z.strictObject({ name: TagName });

export const TagJson = z.object({
  id: z.uuid(),
  name: z.string(),
  task_count: z.number().int().min(0).meta({ description: "How many of the user's tasks carry the tag." }),
});

export type TagPatch = z.infer<typeof TagPatchInput>;
export type TagJson = z.infer<typeof TagJson>;
