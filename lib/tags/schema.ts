import { z } from "zod";
import { TAG_NAME_MAX_CHARS, TagName } from "../tasks/schema";

export const TagId = z.uuid();

/** `PATCH …/tags/{tagId}`: the new name, under the same rules as a tag named on a task. */
export const TagPatchInput = z.strictObject({
  name: TagName.meta({
    description:
      `Trimmed, then 1–${TAG_NAME_MAX_CHARS} characters (code points). Another of the user's tags' name, ignoring ` +
      "case, is a 409 `conflict`; the tag's own name in another case is not. No NUL characters, no lone surrogates.",
  }),
});

export const TagJson = z.object({
  id: z.uuid(),
  name: z.string(),
  task_count: z.number().int().min(0).meta({ description: "How many of the user's tasks carry the tag." }),
});

export type TagPatch = z.infer<typeof TagPatchInput>;
export type TagJson = z.infer<typeof TagJson>;
