import { z } from "zod";
import { trimmedText } from "../text-schema";

export const LIST_NAME_MAX_CHARS = 100;
/** Lists per user: the list route returns them all in one array, so their number is bounded. */
export const LISTS_PER_USER_MAX = 1000;

export const ListName = trimmedText("name", LIST_NAME_MAX_CHARS);

/** `POST …/lists` and `PATCH …/lists/{listId}`: a list has one writable field. */
export const ListInput = z.strictObject({ name: ListName });

export const ListId = z.uuid();

const Neighbour = (name: string) => z.uuid({ error: `${name} must be a list's id (a UUID)` });

/** `POST …/lists/{listId}/move`: the list goes just before or just after another of the user's lists. */
export const ListMoveInput = z
  .strictObject({
    before: Neighbour("before").optional().meta({ description: "Put the list just before this list." }),
    after: Neighbour("after").optional().meta({ description: "Put the list just after this list." }),
  })
  .refine((move) => move.before !== undefined || move.after !== undefined, "send before or after")
  .refine((move) => move.before === undefined || move.after === undefined, {
    message: "send before or after, not both",
    path: ["after"],
  })
  .transform(({ before, after }) =>
    after === undefined
      ? { side: "before" as const, neighbour: before as string }
      : { side: "after" as const, neighbour: after },
  );

const LIST_DELETE_MODES = ["move", "delete"] as const;

/** `DELETE …/lists/{listId}?tasks=`: what becomes of the list's tasks; absent, a list with tasks is kept (409). */
export const ListDeleteQuery = z.object({
  tasks: z
    .enum(LIST_DELETE_MODES, { error: `tasks must be one of ${LIST_DELETE_MODES.join(", ")}` })
    .optional()
    .meta({
      description:
        "`move`: the list's tasks go to the Inbox (`list_id` null, `version` + 1); `delete`: they are deleted with " +
        "it. Without it, a list that still holds tasks is a 409 `conflict` and nothing changes.",
    }),
});

export const ListJson = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.string().meta({
    description: "The list's place among the user's lists: compare as bytes; set it with the move route.",
  }),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  version: z
    .number()
    .int()
    .min(1)
    .meta({ description: 'Grows by one on every write; the `ETag` is this number in quotes (`"3"`), for `If-Match`.' }),
});

export type ListInput = z.infer<typeof ListInput>;
export type ListMove = z.infer<typeof ListMoveInput>;
export type ListDeleteQuery = z.infer<typeof ListDeleteQuery>;
export type ListJson = z.infer<typeof ListJson>;
